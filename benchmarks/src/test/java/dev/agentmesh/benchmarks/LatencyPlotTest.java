package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LatencyPlot} on a JMH result file of the shape JMH 1.37 writes. */
class LatencyPlotTest {

    private static final String RESULTS = "[\n"
            + "  {\"benchmark\": \"dev.agentmesh.benchmarks.GovernedCallBenchmark.allowedAudited\","
            + "   \"mode\": \"sample\","
            + "   \"primaryMetric\": {\"score\": 0.9, \"scoreUnit\": \"us/op\", \"scorePercentiles\": {\"0.0\": 0.7,"
            + "   \"50.0\": 0.83, \"90.0\": 0.84, \"95.0\": 0.9, \"99.0\": 1.5, \"99.9\": 63.0, \"99.99\": 1389.0,"
            + "   \"99.999\": 1400.0, \"99.9999\": 1400.0, \"100.0\": 1400.0}}},\n"
            + "  {\"benchmark\": \"dev.agentmesh.benchmarks.SharedStateBenchmark.put\", \"mode\": \"avgt\","
            + "   \"params\": {\"mode\": \"STRICT\"},"
            + "   \"primaryMetric\": {\"score\": 1100.0, \"scoreUnit\": \"ns/op\", \"scorePercentiles\": {}}}\n"
            + "]\n";

    @Test
    void readsSampleModeResultsOnlyInNanoseconds() {
        List<LatencyPlot.Series> series = LatencyPlot.read(RESULTS);

        assertThat(series).hasSize(1);
        assertThat(series.get(0).name()).isEqualTo("GovernedCallBenchmark.allowedAudited");
        assertThat(series.get(0).nanos()).containsExactly(new double[] {830, 840, 1500, 63_000, 1_389_000},
                within(1e-6));
    }

    @Test
    void drawsOneLineAndOneLegendEntryPerBenchmark() {
        String svg = LatencyPlot.svg(LatencyPlot.read(RESULTS));

        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg.split("<polyline", -1)).hasSize(2);
        assertThat(svg).contains(">GovernedCallBenchmark.allowedAudited</text>", ">99.9%</text>", ">1 µs</text>");
    }
}
