package dev.agentmesh.reader;

import java.util.Comparator;
import java.util.List;

/**
 * What a report covers, once it has verified: one trail directory, or every writer's stream on a fleet's Kafka topic.
 * {@link ReportText} and {@link ReportHtml} each take either, so each keeps one body: only the heading differs, and a
 * topic's report adds a table of its writers. The counts themselves are in {@link ReportStats} either way.
 */
sealed interface ReportScope permits ReportScope.Directory, ReportScope.Topic {

    /** @return records verified, in all */
    long records();

    /**
     * One trail directory, verified end to end.
     *
     * @param dir the audit directory, as given
     * @param summary what the read found
     * @param clock where its writer's clock went back
     */
    record Directory(String dir, Trail.Summary summary, ClockSteps clock) implements ReportScope {

        @Override
        public long records() {
            return summary.count();
        }
    }

    /**
     * Every writer's stream on a topic, each verified on its own chain and held against its newest checkpoint.
     *
     * @param topic the audit topic
     * @param bootstrap the brokers it was read from, as given
     * @param writers each writer's stream, by writer id: read order depends on partitions and polls, a report
     *     should not
     */
    record Topic(String topic, String bootstrap, List<WriterSummary> writers) implements ReportScope {

        /** Sorts the writers by id. */
        public Topic {
            writers = writers.stream().sorted(Comparator.comparing(WriterSummary::id)).toList();
        }

        @Override
        public long records() {
            long total = 0;
            for (WriterSummary w : writers) {
                total += w.records();
            }
            return total;
        }
    }
}
