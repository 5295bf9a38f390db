package dev.agentmesh.agent.policy;


import java.util.List;
import java.util.OptionalDouble;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads the policy's {@code liability:} and {@code breach:} sections, naming the line of every mistake. */
final class LiabilityReader {

    private static final List<String> LIABILITY_KEYS = List.of("initialTrust", "rings", "slash", "cascade",
            "blastRadius", "vouches");
    private static final List<String> SLASH_KEYS = List.of("violation", "breach", "kill");
    private static final List<String> CASCADE_KEYS = List.of("share", "depth");
    private static final List<String> BLAST_KEYS = List.of("vouchees", "spawned", "minutes");
    private static final List<String> VOUCH_KEYS = List.of("voucher", "vouchee", "share");
    private static final List<String> BREACH_KEYS = List.of("windowSeconds", "threshold", "points", "action",
            "minutes");
    private static final List<String> POINTS_KEYS = List.of("violation", "denial");
    private static final String TRUST_RANGE = "an integer from 0 to " + LiabilityPolicy.MAX_TRUST;

    private final String source;

    private LiabilityReader(String source) {
        this.source = source;
    }

    static LiabilityPolicy read(String source, Node value) {
        return new LiabilityReader(source).liability(value);
    }

    static BreachPolicy breach(String source, Node value) {
        return new LiabilityReader(source).breach(value);
    }

    static int trust(String source, Node value, String what) {
        return new LiabilityReader(source).integer(value, what, 0, LiabilityPolicy.MAX_TRUST, TRUST_RANGE);
    }

    private LiabilityPolicy liability(Node value) {
        LiabilityPolicy.Builder b = LiabilityPolicy.builder();
        if (Nodes.isNull(value)) {
            return b.build(); // "liability:" alone turns it on with the defaults
        }
        BlastRadius blast = new BlastRadius();
        for (MappingEntries.Entry e : entries(value, "liability", LIABILITY_KEYS)) {
            switch (e.key()) {
                case "initialTrust" -> b.initialTrust(integer(e.value(), "liability.initialTrust", 0,
                        LiabilityPolicy.MAX_TRUST, TRUST_RANGE));
                case "rings" -> {
                    for (MappingEntries.Entry r : MappingEntries.read(source, mapping(e.value(),
                            "liability.rings must map rings 1..3 to trust, such as {1: 800, 2: 500}"), "ring",
                            "under liability.rings", List.of())) {
                        int ring = integer(r.keyNode(), "a ring under liability.rings", 1, Policy.MAX_RING,
                                "1, 2 or 3 (ring 0 is never earned by trust)");
                        b.ringThreshold(ring, integer(r.value(), "liability.rings." + ring, 0,
                                LiabilityPolicy.MAX_TRUST, TRUST_RANGE));
                    }
                }
                case "slash" -> slash(e.value(), b);
                case "cascade" -> cascade(e.value(), b);
                case "blastRadius" -> blast.read(e.value());
                case "vouches" -> vouches(e.value(), b);
                default -> throw new IllegalStateException("key not in LIABILITY_KEYS: " + e.key());
            }
        }
        b.blastRadius(blast.vouchees, blast.spawned, blast.minutes);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw Nodes.error(source, value, "liability: " + e.getMessage());
        }
    }

    private void slash(Node value, LiabilityPolicy.Builder b) {
        int violation = 50;
        int breach = 200;
        int kill = 300;
        for (MappingEntries.Entry e : entries(value, "liability.slash", SLASH_KEYS)) {
            int points = integer(e.value(), "liability.slash." + e.key(), 0, LiabilityPolicy.MAX_TRUST,
                    TRUST_RANGE);
            switch (e.key()) {
                case "violation" -> violation = points;
                case "breach" -> breach = points;
                default -> kill = points;
            }
        }
        b.slash(violation, breach, kill);
    }

    private void cascade(Node value, LiabilityPolicy.Builder b) {
        double share = 0.5;
        int depth = 2;
        for (MappingEntries.Entry e : entries(value, "liability.cascade", CASCADE_KEYS)) {
            if (e.key().equals("share")) {
                share = share(e.value(), "liability.cascade.share", true);
            } else {
                depth = integer(e.value(), "liability.cascade.depth", 0, LiabilityPolicy.MAX_DEPTH,
                        "an integer from 0 to " + LiabilityPolicy.MAX_DEPTH);
            }
        }
        b.cascade(share, depth);
    }

    /** The blast radius as read so far; unset keys keep the defaults. */
    private final class BlastRadius {
        Containment vouchees = Containment.DEMOTE;
        Containment spawned = Containment.DEMOTE;
        int minutes = 60;

        void read(Node value) {
            for (MappingEntries.Entry e : entries(value, "liability.blastRadius", BLAST_KEYS)) {
                switch (e.key()) {
                    case "vouchees" -> vouchees = mode(e.value(), "liability.blastRadius.vouchees");
                    case "spawned" -> spawned = mode(e.value(), "liability.blastRadius.spawned");
                    default -> minutes = integer(e.value(), "liability.blastRadius.minutes", 1, 7 * 24 * 60,
                            "an integer from 1 to " + 7 * 24 * 60);
                }
            }
        }

        private Containment mode(Node value, String what) {
            String text = Nodes.text(value);
            if ("NONE".equals(text)) {
                return null;
            }
            if ("DEMOTE".equals(text) || "BLOCK".equals(text)) {
                return Containment.valueOf(text);
            }
            throw Nodes.error(source, value, what + " must be NONE, DEMOTE or BLOCK, got " + Nodes.describe(value));
        }
    }

    private void vouches(Node value, LiabilityPolicy.Builder b) {
        if (Nodes.isNull(value)) {
            return;
        }
        if (!(value instanceof SequenceNode)) {
            throw Nodes.error(source, value, "liability.vouches must be a list of {voucher: a, vouchee: b, share: "
                    + "0.3}, got " + Nodes.describe(value));
        }
        java.util.Map<String, Double> shares = new java.util.HashMap<>();
        java.util.Set<String> pairs = new java.util.HashSet<>();
        for (Node item : ((SequenceNode) value).getValue()) {
            String voucher = null;
            String vouchee = null;
            Double share = null;
            for (MappingEntries.Entry e : entries(item, "a vouch", VOUCH_KEYS)) {
                switch (e.key()) {
                    case "voucher" -> voucher = agentId(e.value(), "voucher");
                    case "vouchee" -> vouchee = agentId(e.value(), "vouchee");
                    default -> share = share(e.value(), "share of a vouch", false);
                }
            }
            if (voucher == null || vouchee == null || share == null) {
                throw Nodes.error(source, item, "a vouch needs voucher, vouchee and share, as in {voucher: lead, "
                        + "vouchee: helper, share: 0.3}");
            }
            if (voucher.equals(vouchee)) {
                throw Nodes.error(source, item, "agent " + Nodes.quote(voucher) + " cannot vouch for itself");
            }
            if (!pairs.add(voucher + '\n' + vouchee)) {
                throw Nodes.error(source, item, "agent " + Nodes.quote(voucher) + " vouches for "
                        + Nodes.quote(vouchee) + " twice");
            }
            double total = shares.merge(voucher, share, Double::sum);
            if (total > 1 + 1e-9) {
                throw Nodes.error(source, item, "agent " + Nodes.quote(voucher) + " stakes more than all its trust:"
                        + " its shares add up to " + total + ", at most 1");
            }
            b.vouch(new DeclaredVouch(voucher, vouchee, share));
        }
    }

    private BreachPolicy breach(Node value) {
        BreachPolicy d = BreachPolicy.defaults();
        if (Nodes.isNull(value)) {
            return d;
        }
        int window = d.windowSeconds();
        int threshold = d.threshold();
        int violation = d.violationPoints();
        int denial = d.denialPoints();
        BreachPolicy.Action action = d.action();
        int minutes = d.minutes();
        for (MappingEntries.Entry e : entries(value, "breach", BREACH_KEYS)) {
            switch (e.key()) {
                case "windowSeconds" -> window = integer(e.value(), "breach.windowSeconds", 1, 86_400,
                        "an integer from 1 to 86400");
                case "threshold" -> threshold = integer(e.value(), "breach.threshold", 1, 1_000_000,
                        "an integer from 1 to 1000000");
                case "points" -> {
                    for (MappingEntries.Entry p : entries(e.value(), "breach.points", POINTS_KEYS)) {
                        int points = integer(p.value(), "breach.points." + p.key(), 0, 1_000_000,
                                "an integer from 0 to 1000000");
                        if (p.key().equals("violation")) {
                            violation = points;
                        } else {
                            denial = points;
                        }
                    }
                }
                case "action" -> {
                    String text = Nodes.text(e.value());
                    try {
                        action = BreachPolicy.Action.valueOf(text == null ? "" : text);
                    } catch (IllegalArgumentException unknown) {
                        throw Nodes.error(source, e.value(), "breach.action must be DEMOTE, BLOCK or KILL, got "
                                + Nodes.describe(e.value()));
                    }
                }
                default -> minutes = integer(e.value(), "breach.minutes", 1, 7 * 24 * 60,
                        "an integer from 1 to " + 7 * 24 * 60);
            }
        }
        try {
            return new BreachPolicy(window, threshold, violation, denial, action, minutes);
        } catch (IllegalArgumentException e) {
            throw Nodes.error(source, value, e.getMessage());
        }
    }

    private String agentId(Node value, String what) {
        String id = Nodes.text(value);
        if (!Policy.isAgentId(id)) {
            throw Nodes.error(source, value, what + " must be an agent id, got " + Nodes.describe(value));
        }
        return id;
    }

    private double share(Node value, String what, boolean zeroAllowed) {
        OptionalDouble n = Nodes.numberValue(value);
        if (n.isEmpty() || n.getAsDouble() > 1 || n.getAsDouble() < 0 || (!zeroAllowed && n.getAsDouble() == 0)) {
            throw Nodes.error(source, value, what + " must be a number " + (zeroAllowed ? "from 0" : "more than 0")
                    + " to 1, such as 0.3, got " + Nodes.describe(value));
        }
        return n.getAsDouble();
    }

    private int integer(Node value, String what, int min, int max, String range) {
        return Nodes.integer(source, value, what, min, max, range);
    }

    private List<MappingEntries.Entry> entries(Node value, String what, List<String> allowed) {
        return MappingEntries.section(source, value, what, allowed);
    }

    private MappingNode mapping(Node value, String expectation) {
        return Nodes.mapping(source, value, expectation);
    }
}
