package dev.agentmesh.agent.policy;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which privilege ring each agent runs in. Immutable and safe to share between threads.
 *
 * <p>Rings are integers from {@value #MIN_RING} to {@value #MAX_RING}: 0 system, 1 trusted, 2 standard,
 * 3 sandboxed. A lower ring is more privileged.
 *
 * <h2>Policy file format</h2>
 * A policy file is one YAML document, UTF-8 encoded, read by {@link PolicyLoader}:
 * <pre>{@code
 * version: 1                # optional; if present must be the integer 1
 * defaults:                 # optional
 *   ring: 3                 # ring for agents not listed under agents (default 3)
 *   agent: anonymous        # agent id used for governed calls with no agent in context (default "anonymous")
 * limits:                   # optional; rate limits (token buckets), see RateLimit
 *   rings:                  # per ring: the default of every agent in that ring
 *     2: {perSecond: 50, burst: 100}
 *   session: {perSecond: 200, burst: 400}   # every session
 * agents:                   # optional; agent id -> settings
 *   researcher-1: {ring: 2}
 *   ops-bot: {ring: 1, limit: {perSecond: 5, burst: 10}}   # an agent's own limit wins over its ring's
 *   analyst: {ring: 2, elevation: {ring: 1, maxMinutes: 15}}   # may elevate itself to ring 1 for 15 min
 *   helper: {ring: trust, trust: 400}   # ring follows effective trust; own score 400 (needs liability)
 * liability:                # optional; joint liability, see LiabilityPolicy (an empty section takes the defaults)
 *   vouches:
 *     - {voucher: analyst, vouchee: helper, share: 0.2}
 * breach: {threshold: 10, action: DEMOTE}   # optional; breach detection, see BreachPolicy
 * tools:                    # optional; rings of tools without their own @Ring, see ToolRules
 *   web_search: {ring: 2}                  # a framework tool name
 *   "com.acme.tools.*#drop*": {ring: 0}    # a class#method pattern (quote it: # and * mean things in YAML)
 *   "@com.acme.Dangerous": {ring: 1}       # every method carrying that annotation
 * fleet:                    # optional; ship the trail to Kafka and take signed commands, see FleetConfig
 *   kafka: {bootstrap: "kafka-1:9092"}
 * }</pre>
 * Rules:
 * <ul>
 *   <li>Every key is optional except {@code ring} inside an agent's settings: listing an agent without a
 *       ring says nothing, so it is taken as a mistake.</li>
 *   <li>Rings and {@code version} are unquoted integers; {@code ring: "2"} is a string and is rejected.</li>
 *   <li>An empty {@code defaults:} or {@code agents:} section (YAML null) is allowed and means "nothing
 *       here", so a file whose agents are all commented out still loads.</li>
 *   <li>Agent ids are taken as written ({@code 007} is the id {@code "007"}) and must not be blank;
 *       quote ids that YAML would read as null, such as {@code "null"} or {@code "~"}.</li>
 *   <li>Unknown keys, duplicate keys at any level and a second YAML document are errors, so that a typo
 *       can never silently leave an agent in the wrong ring.</li>
 * </ul>
 * Every mistake is reported as a {@link PolicyException} naming the file and line.
 *
 * <p>Build a policy in code with {@link #builder()}; {@link #defaults()} is used when no file is
 * configured.
 */
public final class Policy {

    /** The most privileged ring: system. */
    public static final int MIN_RING = 0;
    /** The least privileged ring: sandboxed. */
    public static final int MAX_RING = 3;
    /** The ring of agents that are not listed, unless the policy says otherwise: sandboxed. */
    public static final int DEFAULT_RING = MAX_RING;
    /** The agent id of governed calls with no agent in context, unless the policy says otherwise. */
    public static final String DEFAULT_AGENT = "anonymous";
    /** The {@link #source()} of {@link #defaults()}. */
    public static final String BUILT_IN_SOURCE = "<built-in defaults>";

    // The digest of zero bytes stands for "no file": the built-in defaults have no bytes to hash.
    private static final byte[] EMPTY_DIGEST = Sha256.of(new byte[0]);
    // Declared after EMPTY_DIGEST because building it reads that field.
    private static final Policy DEFAULTS = builder().build();

    private final int defaultRing;
    private final String defaultAgent;
    // Insertion-ordered so agents() keeps file order; lookups in ringOf cost the same as a HashMap's.
    private final Map<String, Integer> rings;
    private final Map<String, Integer> agentsView;
    private final String source;
    private final byte[] digest;
    private final Map<Integer, RateLimit> ringLimits;
    private final Map<String, RateLimit> agentLimits;
    private final RateLimit sessionLimit;
    private final Map<String, ElevationLimit> elevations;
    private final Map<String, Integer> trust;
    private final java.util.Set<String> ringFromTrust;
    private final LiabilityPolicy liability;
    private final BreachPolicy breach;
    private final ToolRules tools;
    private final dev.agentmesh.agent.fleet.FleetConfig fleet;

    private Policy(Builder b) {
        this.tools = new ToolRules(b.tools, b.defaultToolRing, b.ringInherited);
        if (!b.ringFromTrust.isEmpty() && b.liability == null) {
            throw new IllegalArgumentException("agent '" + b.ringFromTrust.iterator().next() + "' takes its ring "
                    + "from trust, but the policy has no liability section to say what trust each ring needs");
        }
        this.trust = Map.copyOf(b.trust);
        this.ringFromTrust = java.util.Set.copyOf(b.ringFromTrust);
        this.liability = b.liability;
        this.breach = b.breach;
        this.fleet = b.fleet;
        this.elevations = Map.copyOf(b.elevations);
        this.ringLimits = Map.copyOf(b.ringLimits);
        this.agentLimits = Map.copyOf(b.agentLimits);
        this.sessionLimit = b.sessionLimit;
        this.defaultRing = b.defaultRing;
        this.defaultAgent = b.defaultAgent;
        this.rings = new LinkedHashMap<>(b.agents);
        this.agentsView = Collections.unmodifiableMap(rings);
        this.source = b.source;
        this.digest = b.digest.clone();
    }

    /**
     * @return the policy used when no policy file is configured: every agent sandboxed (ring 3), default
     *         agent {@value #DEFAULT_AGENT}, source {@value #BUILT_IN_SOURCE}, digest SHA-256 of zero bytes
     */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /** @return a builder that, left untouched, builds a policy equal to {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ring an agent runs in. Called on every governed call, so it does one map lookup and never
     * allocates.
     *
     * @param agentId the agent's id; {@code null} or an unlisted id gets the default ring
     * @return the agent's listed ring, else {@link #defaultRing()}
     */
    public int ringOf(String agentId) {
        Integer ring = rings.get(agentId);
        if (ring == null) {
            return defaultRing;
        }
        return ring;
    }

    /** @return the ring of agents that are not listed */
    public int defaultRing() {
        return defaultRing;
    }

    /** @return the agent id used for governed calls with no agent in context */
    public String defaultAgent() {
        return defaultAgent;
    }

    /** @return agent id to ring, unmodifiable, in the order the policy lists them */
    public Map<String, Integer> agents() {
        return agentsView;
    }

    /**
     * @param agentId an agent
     * @return its rate limit: its own, else its ring's; empty if neither is set
     */
    public java.util.Optional<RateLimit> limitOf(String agentId) {
        RateLimit own = agentLimits.get(agentId);
        return java.util.Optional.ofNullable(own != null ? own : ringLimits.get(ringOf(agentId)));
    }

    /**
     * @param agentId an agent
     * @return how far it may elevate itself, if at all
     */
    public java.util.Optional<ElevationLimit> elevationOf(String agentId) {
        return java.util.Optional.ofNullable(elevations.get(agentId));
    }

    /**
     * @param agentId an agent
     * @return whether its ring follows its effective trust ({@code ring: trust}); {@link #ringOf} then gives ring 3,
     *     what it holds before trust is counted
     */
    public boolean ringFromTrust(String agentId) {
        return ringFromTrust.contains(agentId);
    }

    /**
     * @param agentId an agent
     * @return its own trust score as the policy gives it, else the liability section's initial trust; empty without
     *     a liability section
     */
    public java.util.OptionalInt trustOf(String agentId) {
        if (liability == null) {
            return java.util.OptionalInt.empty();
        }
        Integer own = trust.get(agentId);
        return java.util.OptionalInt.of(own != null ? own : liability.initialTrust());
    }

    /** @return the joint-liability section, if the policy has one: without it there is no trust, vouching or slashing */
    public java.util.Optional<LiabilityPolicy> liability() {
        return java.util.Optional.ofNullable(liability);
    }

    /** @return the breach-detection section, if the policy has one: without it nothing scores breaches */
    public java.util.Optional<BreachPolicy> breach() {
        return java.util.Optional.ofNullable(breach);
    }

    /** @return the fleet section, if the policy has one: without it no record and no command crosses the network */
    public java.util.Optional<dev.agentmesh.agent.fleet.FleetConfig> fleet() {
        return java.util.Optional.ofNullable(fleet);
    }

    /** @return the {@code tools:} section: the ring each tool without its own {@code @Ring} requires */
    public ToolRules tools() {
        return tools;
    }

    /** @return the rate limit of every session, if set */
    public java.util.Optional<RateLimit> sessionLimit() {
        return java.util.Optional.ofNullable(sessionLimit);
    }

    /** @return where the policy came from: the file's path as given, or {@value #BUILT_IN_SOURCE} */
    public String source() {
        return source;
    }

    /** @return a copy of the SHA-256 of the policy file's raw bytes (32 bytes) */
    public byte[] digest() {
        return digest.clone();
    }

    static boolean isRing(int ring) {
        return ring >= MIN_RING && ring <= MAX_RING;
    }

    static boolean isAgentId(String id) {
        return id != null && !id.isBlank();
    }

    /** Two policies are equal when all their parts are, including source and digest. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Policy)) {
            return false;
        }
        Policy other = (Policy) o;
        return defaultRing == other.defaultRing && defaultAgent.equals(other.defaultAgent)
                && rings.equals(other.rings) && source.equals(other.source) && Arrays.equals(digest, other.digest)
                && ringLimits.equals(other.ringLimits) && agentLimits.equals(other.agentLimits)
                && Objects.equals(sessionLimit, other.sessionLimit) && elevations.equals(other.elevations)
                && trust.equals(other.trust) && ringFromTrust.equals(other.ringFromTrust)
                && Objects.equals(liability, other.liability) && Objects.equals(breach, other.breach)
                && tools.equals(other.tools) && Objects.equals(fleet, other.fleet);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultRing, defaultAgent, rings, source, Arrays.hashCode(digest), ringLimits,
                agentLimits, sessionLimit, elevations, trust, ringFromTrust, liability, breach, tools, fleet);
    }

    @Override
    public String toString() {
        return "Policy{source=" + source + ", defaultRing=" + defaultRing + ", defaultAgent=" + defaultAgent
                + ", agents=" + rings + (ringLimits.isEmpty() ? "" : ", ringLimits=" + ringLimits)
                + (agentLimits.isEmpty() ? "" : ", agentLimits=" + agentLimits)
                + (sessionLimit == null ? "" : ", sessionLimit=" + sessionLimit)
                + (ringFromTrust.isEmpty() ? "" : ", ringFromTrust=" + ringFromTrust)
                + (trust.isEmpty() ? "" : ", trust=" + trust)
                + (liability == null ? "" : ", liability=" + liability)
                + (breach == null ? "" : ", breach=" + breach)
                + (tools.rules().isEmpty() ? "" : ", tools=" + tools)
                + (fleet == null ? "" : ", " + fleet)
                + ", digest=" + HexFormat.of().formatHex(digest) + '}';
    }

    /**
     * Builds a {@link Policy}. Every setter checks its argument at once and throws
     * {@link IllegalArgumentException}, so a mistake points at the call that made it. {@code source} and
     * {@code digest} default to those of {@link #defaults()}; set them when the policy comes from a file.
     */
    public static final class Builder {
        private int defaultRing = DEFAULT_RING;
        private String defaultAgent = DEFAULT_AGENT;
        private final Map<String, Integer> agents = new LinkedHashMap<>();
        private String source = BUILT_IN_SOURCE;
        private byte[] digest = EMPTY_DIGEST;
        private final Map<Integer, RateLimit> ringLimits = new java.util.HashMap<>();
        private final Map<String, RateLimit> agentLimits = new java.util.HashMap<>();
        private RateLimit sessionLimit;
        private final Map<String, ElevationLimit> elevations = new java.util.HashMap<>();
        private final Map<String, Integer> trust = new java.util.HashMap<>();
        private final java.util.Set<String> ringFromTrust = new java.util.HashSet<>();
        private LiabilityPolicy liability;
        private BreachPolicy breach;
        private dev.agentmesh.agent.fleet.FleetConfig fleet;
        private final java.util.List<ToolRule> tools = new java.util.ArrayList<>();
        private int defaultToolRing = ToolRules.DEFAULT_TOOL_RING;
        private boolean ringInherited = true;

        private Builder() {
        }

        /**
         * @param rule a rule of the {@code tools:} section; its key must not be taken already
         * @return this
         */
        public Builder tool(ToolRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (tools.stream().anyMatch(r -> r.key().equals(rule.key()))) {
                throw new IllegalArgumentException("duplicate tool '" + rule.key() + "'");
            }
            tools.add(rule);
            return this;
        }

        /** @param ring the ring of a tool no rule names, 0..3 @return this */
        public Builder defaultToolRing(int ring) {
            this.defaultToolRing = checkRing(ring, "default tool ring");
            return this;
        }

        /**
         * @param inherited whether a method with no {@code @Ring} of its own takes the ring of the {@code @Ring}
         *        methods it overrides or implements; {@code true} unless set
         * @return this
         */
        public Builder ringInherited(boolean inherited) {
            this.ringInherited = inherited;
            return this;
        }

        /**
         * Adds an agent whose ring follows its effective trust ({@code ring: trust}); needs a liability section.
         *
         * @param id the agent's id, not blank, not already added
         * @return this
         */
        public Builder agentFromTrust(String id) {
            agent(id, MAX_RING);
            ringFromTrust.add(id);
            return this;
        }

        /**
         * @param id an agent id
         * @param score its own trust score, 0..1000
         * @return this
         */
        public Builder agentTrust(String id, int score) {
            if (score < 0 || score > LiabilityPolicy.MAX_TRUST) {
                throw new IllegalArgumentException("trust of agent '" + id + "' must be from 0 to "
                        + LiabilityPolicy.MAX_TRUST + ", got " + score);
            }
            trust.put(checkId(id), score);
            return this;
        }

        /** @param liability the joint-liability section @return this */
        public Builder liability(LiabilityPolicy liability) {
            this.liability = Objects.requireNonNull(liability, "liability");
            return this;
        }

        /** @param breach the breach-detection section @return this */
        public Builder breach(BreachPolicy breach) {
            this.breach = Objects.requireNonNull(breach, "breach");
            return this;
        }

        /** @param fleet fleet mode: where records go and commands come from @return this */
        public Builder fleet(dev.agentmesh.agent.fleet.FleetConfig fleet) {
            this.fleet = Objects.requireNonNull(fleet, "fleet");
            return this;
        }

        /**
         * @param id an agent id
         * @param limit how far it may elevate itself
         * @return this
         */
        public Builder agentElevation(String id, ElevationLimit limit) {
            elevations.put(checkId(id), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * @param ring a ring, 0..3
         * @param limit the rate limit of every agent in it that has none of its own
         * @return this
         */
        public Builder ringLimit(int ring, RateLimit limit) {
            ringLimits.put(checkRing(ring, "ring of a limit"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * @param id an agent id
         * @param limit its own rate limit
         * @return this
         */
        public Builder agentLimit(String id, RateLimit limit) {
            agentLimits.put(checkId(id), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * @param limit the rate limit of every session
         * @return this
         */
        public Builder sessionLimit(RateLimit limit) {
            this.sessionLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** @param ring the ring of unlisted agents, 0..3 @return this */
        public Builder defaultRing(int ring) {
            this.defaultRing = checkRing(ring, "default ring");
            return this;
        }

        /** @param id the agent id for calls with no agent in context, not blank @return this */
        public Builder defaultAgent(String id) {
            this.defaultAgent = checkId(id);
            return this;
        }

        /**
         * @param id   the agent's id, not blank, not already added
         * @param ring its ring, 0..3
         * @return this
         */
        public Builder agent(String id, int ring) {
            checkId(id);
            checkRing(ring, "ring of agent '" + id + "'");
            if (agents.putIfAbsent(id, ring) != null) {
                throw new IllegalArgumentException("duplicate agent '" + id + "'");
            }
            return this;
        }

        /** @param source where the policy came from, not blank @return this */
        public Builder source(String source) {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source must not be blank");
            }
            this.source = source;
            return this;
        }

        /** @param digest SHA-256 of the policy's bytes, 32 bytes; copied @return this */
        public Builder digest(byte[] digest) {
            Objects.requireNonNull(digest, "digest");
            if (digest.length != Sha256.LENGTH) {
                throw new IllegalArgumentException(
                        "digest must be " + Sha256.LENGTH + " bytes (SHA-256), got " + digest.length);
            }
            this.digest = digest.clone();
            return this;
        }

        /** @return a new immutable policy; this builder may be reused */
        public Policy build() {
            return new Policy(this);
        }

        private static int checkRing(int ring, String what) {
            if (!isRing(ring)) {
                throw new IllegalArgumentException(
                        what + " must be from " + MIN_RING + " to " + MAX_RING + ", got " + ring);
            }
            return ring;
        }

        private static String checkId(String id) {
            if (!isAgentId(id)) {
                String shown = id == null ? "null" : "'" + id + "'";
                throw new IllegalArgumentException("agent id must not be blank, got " + shown);
            }
            return id;
        }
    }
}
