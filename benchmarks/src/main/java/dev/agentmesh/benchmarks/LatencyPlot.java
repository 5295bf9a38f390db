package dev.agentmesh.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Draws the latency distribution of JMH sample-mode results as an SVG percentile plot, in the manner of
 * HdrHistogram's: the percentile on a "nines" axis (50%, 90%, 99%, 99.9%, 99.99%), the latency on a log axis, one
 * line per benchmark. It reads JMH's JSON result file ({@code -rf json}); SnakeYAML Engine parses it, as JSON is
 * YAML, so the benchmarks need no JSON library of their own.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar 'GovernedCall|Peer' -bm sample -rf json -rff target/sample.json
 * java -cp benchmarks/target/benchmarks.jar dev.agentmesh.benchmarks.LatencyPlot target/sample.json latency.svg
 * }</pre>
 */
public final class LatencyPlot {

    /** The percentiles drawn: JMH reports these for sample mode; beyond 99.99% a run has too few samples. */
    static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9, 99.99};
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 460;
    private static final int LEFT = 70;
    private static final int RIGHT = 250;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    /** The latency axis: 10 ns to 10 ms, in powers of ten. */
    private static final int MIN_EXP = 1;
    private static final int MAX_EXP = 7;

    private LatencyPlot() {
    }

    /**
     * @param args the JMH JSON result file, and the SVG file to write
     * @throws IOException if either cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LatencyPlot <jmh-result.json> <plot.svg>");
            System.exit(2);
        }
        List<Series> series = read(Files.readString(Path.of(args[0])));
        Files.writeString(Path.of(args[1]), svg(series), StandardCharsets.UTF_8);
        System.out.println("wrote " + args[1] + ": " + series.size() + " benchmarks");
    }

    /** One benchmark's percentiles, in nanoseconds. */
    record Series(String name, double[] nanos) {
    }

    /**
     * @param json JMH's JSON result file
     * @return the sample-mode results in it
     */
    @SuppressWarnings("unchecked")
    static List<Series> read(String json) {
        List<Series> out = new ArrayList<>();
        for (Object o : (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(json)) {
            Map<String, Object> result = (Map<String, Object>) o;
            if (!"sample".equals(result.get("mode"))) {
                continue;
            }
            Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
            Map<String, Object> percentiles = (Map<String, Object>) metric.get("scorePercentiles");
            double toNanos = nanosPer(String.valueOf(metric.get("scoreUnit")));
            double[] nanos = new double[PERCENTILES.length];
            for (int i = 0; i < PERCENTILES.length; i++) {
                // JMH keys its percentiles by Double.toString: "50.0", "99.99".
                nanos[i] = ((Number) percentiles.get(Double.toString(PERCENTILES[i]))).doubleValue() * toNanos;
            }
            out.add(new Series(name(result), nanos));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String name(Map<String, Object> result) {
        String benchmark = String.valueOf(result.get("benchmark"));
        String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        Object params = result.get("params");
        return params instanceof Map ? name + " " + ((Map<String, Object>) params).values() : name;
    }

    private static double nanosPer(String unit) {
        switch (unit) {
            case "ns/op":
                return 1;
            case "us/op":
                return 1e3;
            case "ms/op":
                return 1e6;
            case "s/op":
                return 1e9;
            default:
                throw new IllegalArgumentException("not a sample-mode time unit: " + unit);
        }
    }

    static String svg(List<Series> series) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">Latency by percentile "
                + "(JMH sample mode)</text>%n", LEFT));
        for (double p : PERCENTILES) {
            double x = x(p);
            out.append(line(x, TOP, x, HEIGHT - BOTTOM, "#ddd"));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s%%</text>%n",
                    x, HEIGHT - BOTTOM + 18, trim(p)));
        }
        String[] units = {"ns", "µs", "ms"};
        for (int e = MIN_EXP; e <= MAX_EXP; e++) {
            double y = y(Math.pow(10, e));
            out.append(line(LEFT, y, WIDTH - RIGHT, y, "#ddd"));
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d %s</text>%n",
                    LEFT - 6, y + 4, (int) Math.pow(10, e % 3), units[e / 3]));
        }
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int j = 0; j < PERCENTILES.length; j++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(PERCENTILES[j]), y(s.nanos()[j])));
            }
            out.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>%n", colour, points.toString().trim()));
            int ly = TOP + 10 + 18 * i;
            out.append(line(WIDTH - RIGHT + 15, ly, WIDTH - RIGHT + 35, ly, colour));
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 40, ly + 4,
                    escape(s.name())));
        }
        return out.append("</svg>\n").toString();
    }

    /** The "nines" axis: 50% at the left, each further nine one step right. */
    private static double x(double percentile) {
        double nines = Math.log10(100 / (100 - percentile));
        double max = Math.log10(100 / (100 - PERCENTILES[PERCENTILES.length - 1]));
        double min = Math.log10(100 / (100 - PERCENTILES[0]));
        return LEFT + (nines - min) / (max - min) * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double nanos) {
        double e = Math.log10(Math.max(nanos, Math.pow(10, MIN_EXP)));
        e = Math.min(e, MAX_EXP);
        return HEIGHT - BOTTOM - (e - MIN_EXP) / (MAX_EXP - MIN_EXP) * (HEIGHT - TOP - BOTTOM);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, colour);
    }

    private static String trim(double p) {
        return p == Math.floor(p) ? Integer.toString((int) p) : Double.toString(p);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
