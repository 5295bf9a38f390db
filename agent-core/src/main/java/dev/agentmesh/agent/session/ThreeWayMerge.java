package dev.agentmesh.agent.session;

import dev.agentmesh.api.MergeConflict;
import dev.agentmesh.api.MergeResolver;
import dev.agentmesh.api.MergeResult;
import dev.agentmesh.api.SessionCheckpoint;
import dev.agentmesh.audit.format.SessionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges a fork's state into the session it was forked from, key by key against the checkpoint they share: what
 * only one side changed wins; what both changed alike stays; what both changed differently is a conflict the
 * resolver decides, and every conflict is reported with its resolution.
 */
final class ThreeWayMerge {

    private ThreeWayMerge() {
    }

    static MergeResult merge(SessionCheckpoint base, AgentSession fork, AgentSession into, MergeResolver resolver) {
        synchronized (into) {
            into.requireOpenForMerge();
            Map<String, List<String>> ours = into.store().snapshot();
            Map<String, List<String>> theirs = fork.store().snapshot();
            TreeSet<String> keys = new TreeSet<>(base.state().keySet());
            keys.addAll(ours.keySet());
            keys.addAll(theirs.keySet());
            Map<String, List<String>> merged = new TreeMap<>(ours);
            List<String> taken = new ArrayList<>();
            List<MergeConflict> conflicts = new ArrayList<>();
            for (String key : keys) {
                List<String> b = base.state().getOrDefault(key, List.of());
                List<String> o = ours.getOrDefault(key, List.of());
                List<String> t = theirs.getOrDefault(key, List.of());
                if (t.equals(b) || t.equals(o)) {
                    continue;
                }
                if (o.equals(b)) {
                    put(merged, key, t);
                    taken.add(key);
                    continue;
                }
                String resolution = resolver.resolve(new MergeConflict(key, b, o, t, null));
                conflicts.add(new MergeConflict(key, b, o, t, resolution));
                put(merged, key, resolution == null ? List.of() : List.of(resolution));
            }
            String summary = taken.size() + " keys taken " + taken + ", " + conflicts.size() + " conflicts "
                    + conflicts.stream().map(MergeConflict::key).toList() + ", from checkpoint " + base.name();
            // Recorded before the writes, so the state writes that follow are read as the merge's own.
            String hash = into.record(SessionEvent.MERGED, "merged " + fork.id() + ": " + summary).hash();
            fork.record(SessionEvent.MERGED, "merged into " + into.id() + ": " + summary);
            into.store().replaceAll(merged);
            return new MergeResult(taken, conflicts, hash);
        }
    }

    private static void put(Map<String, List<String>> state, String key, List<String> values) {
        if (values.isEmpty()) {
            state.remove(key);
        } else {
            state.put(key, values);
        }
    }
}
