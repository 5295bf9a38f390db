package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which records {@code filter} shows: an immutable set of criteria, built with {@link #builder()}.
 *
 * <p>Several values of one criterion select a record that matches any of them; different criteria must all match.
 * The call criteria (agent, principal, framework, tool, session, saga, method, ring, time) are tested on GENESIS,
 * decision, SESSION and SAGA records; a record without the field a criterion tests (GENESIS has no agent, a SESSION
 * record no method, and an agent and ring only when its event names an agent, a SAGA record no method or ring, and
 * an agent only when the saga runs as one; only SAGA records have a saga id; only decisions have a delegation chain,
 * whose links are the principals, and a framework and tool) does not match it. A CONTROL record (the kill switch) has
 * neither agent nor session but a subject: {@code agent:<id>} matches that agent, {@code session:<id>} that session,
 * and {@code all}, which stops every agent in every session, matches any agent and any session; it never matches a
 * principal, framework, tool, saga, method or ring. An outcome follows the ALLOW it closes ({@link #followsCall}),
 * which the caller has to remember, since a filter sees one record at a time. It carries a session id and a time but
 * no agent, principal, framework, tool, ring or method, so it also matches on its own when a session is named and no
 * agent, principal, framework, tool, saga, ring or method is: then {@code --session} finds the outcomes of its calls
 * even when their ALLOW is out of the time window or was forgotten (see {@link #selectsOutcome}).
 *
 * <p>{@code --decision} chooses the record types shown. {@code ALLOW} and {@code DENY} choose decisions;
 * {@code RETURNED} and {@code THREW} choose outcomes; {@code SESSION} chooses SESSION records, {@code SAGA} SAGA
 * records, {@code CONTROL} CONTROL records. With no outcome type named, a shown ALLOW brings both its outcomes, so
 * a filtered view still shows how each shown call ended.
 */
final class RecordFilter {

    /** The values {@code --decision} takes, in the trail's own words. */
    static final List<String> DECISION_WORDS = List.of("ALLOW", "DENY", "RETURNED", "THREW", "SESSION", "SAGA",
            "CONTROL");

    private static final Set<RecordType> OUTCOMES = EnumSet.of(RecordType.CALL_RETURNED, RecordType.CALL_THREW);

    /** The subject of a CONTROL record that acts on every agent and session. */
    private static final String ALL_SUBJECT = "all";

    private final Set<String> agents;
    // Agents some call was made on behalf of: links of a decision's onBehalfOf chain.
    private final Set<String> principals;
    // Agent frameworks (langchain4j, spring-ai, mcp) and their tool names; "" for plain @Ring calls.
    private final Set<String> frameworks;
    private final Set<String> tools;
    private final Set<String> sessions;
    private final Set<String> sagas;
    private final List<MethodPattern> methods;
    private final Set<Integer> rings;
    // Inclusive both ends, in epoch milliseconds: record times are whole milliseconds.
    private final long firstMillis;
    private final long lastMillis;
    // Null when --decision was not given: every type shows, GENESIS included.
    private final Set<RecordType> types;

    private RecordFilter(Builder b) {
        agents = Set.copyOf(b.agents);
        principals = Set.copyOf(b.principals);
        frameworks = Set.copyOf(b.frameworks);
        tools = Set.copyOf(b.tools);
        sessions = Set.copyOf(b.sessions);
        sagas = Set.copyOf(b.sagas);
        methods = List.copyOf(b.methods);
        rings = Set.copyOf(b.rings);
        firstMillis = b.sinceMillis;
        // until is exclusive; it is never Long.MIN_VALUE here (build() checks it is after since), so no overflow.
        lastMillis = b.untilMillis == Long.MAX_VALUE ? Long.MAX_VALUE : b.untilMillis - 1;
        types = b.types.isEmpty() ? null : resolveTypes(b.types);
    }

    /** @return a builder with no criteria: its filter shows every record */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Whether to show a GENESIS, ALLOW, DENY, SESSION, SAGA or CONTROL record: it has every field a criterion
     * tests, and matches.
     *
     * @param record a verified record
     * @return false for outcomes, which show only when the call they close was followed
     */
    boolean selects(AuditRecord record) {
        RecordType type = record.type();
        if (type.isOutcome() || (types != null && !types.contains(type))) {
            return false;
        }
        return matchesCall(record);
    }

    /**
     * Whether an ALLOW's outcome may show: the ALLOW matches the call criteria and the filter shows some outcome.
     * The ALLOW itself need not show: with {@code --decision THREW} only the outcomes of matching calls do.
     *
     * @param record a verified record
     * @return true for an ALLOW whose outcome, if it comes, is to be checked with {@link #selectsOutcome}
     */
    boolean followsCall(AuditRecord record) {
        return record.type() == RecordType.CALL_ALLOWED && showsAnyOutcome() && matchesCall(record);
    }

    /**
     * Whether to show an outcome: its type shows, and either the call it closes was followed or it matches on its
     * own, by session and time, when those are the only call criteria and a session is among them.
     *
     * @param outcome a RETURNED or THREW record
     * @param followed whether the ALLOW it closes was {@linkplain #followsCall followed}
     * @return false for any other type
     */
    boolean selectsOutcome(AuditRecord outcome, boolean followed) {
        RecordType type = outcome.type();
        if (!type.isOutcome() || (types != null && !types.contains(type))) {
            return false;
        }
        return followed || (!sessions.isEmpty() && agents.isEmpty() && sagas.isEmpty() && rings.isEmpty()
                && noDecisionOnlyCriteria() && inWindow(outcome) && sessions.contains(outcome.sessionId()));
    }

    /** @return whether no criterion is given that only decisions can match: principal, framework, tool, method */
    private boolean noDecisionOnlyCriteria() {
        return principals.isEmpty() && frameworks.isEmpty() && tools.isEmpty() && methods.isEmpty();
    }

    /** @return whether any outcome can show, so callers need not remember calls when none can */
    boolean showsAnyOutcome() {
        return types == null || types.contains(RecordType.CALL_RETURNED) || types.contains(RecordType.CALL_THREW);
    }

    private boolean inWindow(AuditRecord r) {
        return r.timeMillis() >= firstMillis && r.timeMillis() <= lastMillis;
    }

    private boolean matchesCall(AuditRecord r) {
        if (!inWindow(r)) {
            return false;
        }
        RecordType type = r.type();
        if (type == RecordType.CONTROL) {
            return matchesControl(r.subject());
        }
        boolean decision = type.isDecision();
        boolean saga = type == RecordType.SAGA_EVENT;
        if (!decision && !saga && type != RecordType.SESSION_EVENT) {
            // GENESIS: it has a time, and no field any other criterion tests.
            return agents.isEmpty() && sessions.isEmpty() && sagas.isEmpty() && rings.isEmpty()
                    && noDecisionOnlyCriteria();
        }
        // SESSION and SAGA records have no method, and an agent only when they name one; a SAGA record has no ring
        // and a SESSION record one only with its agent (else the ring is -1, which no --ring matches).
        boolean hasAgent = decision || !r.agentId().isEmpty();
        return (agents.isEmpty() || (hasAgent && agents.contains(r.agentId())))
                && (principals.isEmpty() || (decision && actsForAny(r.onBehalfOf())))
                && (frameworks.isEmpty() || (decision && frameworks.contains(r.framework())))
                && (tools.isEmpty() || (decision && tools.contains(r.tool())))
                && (sessions.isEmpty() || sessions.contains(r.sessionId()))
                && (sagas.isEmpty() || (saga && sagas.contains(r.sagaId())))
                && (rings.isEmpty() || rings.contains(r.agentRing()))
                && (methods.isEmpty() || (decision && anyMethodMatches(r.className(), r.methodName())));
    }

    /**
     * A CONTROL record's subject stands for the agent or session it names; {@code all} for every one of them. It has
     * no principal, framework, tool, saga, method or ring.
     */
    private boolean matchesControl(String subject) {
        boolean all = subject.equals(ALL_SUBJECT);
        return (agents.isEmpty() || all || names(subject, "agent:", agents))
                && (sessions.isEmpty() || all || names(subject, "session:", sessions))
                && sagas.isEmpty() && rings.isEmpty() && noDecisionOnlyCriteria();
    }

    /**
     * @param chain a decision's delegation chain, principals joined by {@code >}; empty when the agent acted for
     *     itself
     * @return whether a principal the filter names is one of its links, at any depth
     */
    private boolean actsForAny(String chain) {
        if (chain.isEmpty()) {
            return false;
        }
        // A one-character separator that is no regex metacharacter: split takes its fast path, no Pattern.
        for (String link : chain.split(">", -1)) {
            if (principals.contains(link)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether {@code subject} is {@code prefix} followed by one of {@code ids} */
    private static boolean names(String subject, String prefix, Set<String> ids) {
        return subject.startsWith(prefix) && ids.contains(subject.substring(prefix.length()));
    }

    private boolean anyMethodMatches(String className, String methodName) {
        for (MethodPattern m : methods) {
            if (m.matches(className, methodName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decisions named are shown; outcomes named are shown; with no outcome named, ALLOW brings both outcomes.
     * GENESIS is never a {@code --decision} value, so naming any hides it.
     */
    private static Set<RecordType> resolveTypes(Set<RecordType> named) {
        Set<RecordType> resolved = EnumSet.copyOf(named);
        if (named.contains(RecordType.CALL_ALLOWED) && !named.contains(RecordType.CALL_RETURNED)
                && !named.contains(RecordType.CALL_THREW)) {
            resolved.addAll(OUTCOMES);
        }
        return resolved;
    }

    /**
     * Parses a {@code --decision} value.
     *
     * @param word ALLOW, DENY, RETURNED, THREW, SESSION, SAGA or CONTROL, in any case
     * @return its record type
     * @throws IllegalArgumentException naming the values allowed
     */
    static RecordType decision(String word) {
        String upper = word.strip().toUpperCase(Locale.ROOT);
        for (RecordType type : RecordType.values()) {
            if (type != RecordType.GENESIS && type.label().equals(upper)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not one of " + String.join(", ", DECISION_WORDS)
                + " (any case)");
    }

    /**
     * Parses a {@code --ring} value.
     *
     * @param text 0, 1, 2 or 3
     * @return the ring
     * @throws IllegalArgumentException if it is not a ring
     */
    static int ring(String text) {
        String t = text.strip();
        if (t.length() == 1 && t.charAt(0) >= '0' && t.charAt(0) <= '3') {
            return t.charAt(0) - '0';
        }
        throw new IllegalArgumentException("'" + text + "' is not a ring: rings are 0, 1, 2 and 3");
    }

    /**
     * Parses a {@code --since} or {@code --until} value into the first whole millisecond at or after it, which is
     * the right bound for both: a record's time is whole milliseconds, so {@code time >= t} and {@code time < t}
     * hold exactly when they hold for that millisecond.
     *
     * @param text an ISO-8601 instant ({@code 2026-11-24T05:00:00Z}, {@code 2026-11-24T06:00:00+01:00}) or epoch
     *     milliseconds
     * @return epoch milliseconds
     * @throws IllegalArgumentException if it is neither
     */
    static long time(String text) {
        String t = text.strip();
        try {
            if (t.matches("-?\\d{1,19}")) {
                return Long.parseLong(t);
            }
            Instant instant = Instant.parse(t);
            long millis = instant.toEpochMilli();
            // toEpochMilli rounds towards the past; a bound part-way through a millisecond starts at the next one.
            return instant.getNano() % 1_000_000 == 0 ? millis : Math.addExact(millis, 1);
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: give an ISO-8601 instant such as "
                    + "2026-11-24T05:00:00Z, or epoch milliseconds");
        }
    }

    /** Collects criteria; {@link #build()} checks they can select anything at all. */
    static final class Builder {
        private final Set<String> agents = new LinkedHashSet<>();
        private final Set<String> principals = new LinkedHashSet<>();
        private final Set<String> frameworks = new LinkedHashSet<>();
        private final Set<String> tools = new LinkedHashSet<>();
        private final Set<String> sessions = new LinkedHashSet<>();
        private final Set<String> sagas = new LinkedHashSet<>();
        private final List<MethodPattern> methods = new ArrayList<>();
        private final Set<Integer> rings = new LinkedHashSet<>();
        private final Set<RecordType> types = EnumSet.noneOf(RecordType.class);
        private long sinceMillis = Long.MIN_VALUE;
        private long untilMillis = Long.MAX_VALUE;

        private Builder() {
        }

        /** @param agentId an agent id, exactly as recorded */
        Builder agent(String agentId) {
            agents.add(agentId);
            return this;
        }

        /**
         * @param agentId an agent id, exactly as recorded: selects the calls made on its behalf, those whose
         *     delegation chain ({@code onBehalfOf}) has it as a link, directly or further up
         */
        Builder onBehalfOf(String agentId) {
            principals.add(agentId);
            return this;
        }

        /**
         * @param framework an agent framework, exactly as recorded ({@code langchain4j}, {@code spring-ai},
         *     {@code mcp}): selects the calls of its tools; empty for plain {@code @Ring} calls, made through none
         */
        Builder framework(String framework) {
            frameworks.add(framework);
            return this;
        }

        /**
         * @param tool a tool name, exactly as a framework recorded it ({@code web_search}): selects the calls of
         *     tools of that name, in any framework; empty for plain {@code @Ring} calls
         */
        Builder tool(String tool) {
            tools.add(tool);
            return this;
        }

        /** @param sessionId a session id, exactly as recorded; empty for calls made outside a session */
        Builder session(String sessionId) {
            sessions.add(sessionId);
            return this;
        }

        /** @param sagaId a saga id, exactly as recorded: selects that saga's SAGA records */
        Builder saga(String sagaId) {
            sagas.add(sagaId);
            return this;
        }

        /**
         * @param pattern {@code name}, {@code Class#name} or a {@code *} glob of either, as {@link MethodPattern}
         *     describes
         */
        Builder method(String pattern) {
            methods.add(MethodPattern.of(pattern));
            return this;
        }

        /** @param type ALLOW, DENY, RETURNED, THREW, SESSION, SAGA or CONTROL (see {@link #decision(String)}) */
        Builder decision(RecordType type) {
            if (type == RecordType.GENESIS) {
                throw new IllegalArgumentException("GENESIS is not a decision");
            }
            types.add(type);
            return this;
        }

        /** @param ring the agent's ring, 0..3 */
        Builder ring(int ring) {
            if (ring < 0 || ring > 3) {
                throw new IllegalArgumentException(ring + " is not a ring: rings are 0, 1, 2 and 3");
            }
            rings.add(ring);
            return this;
        }

        /** @param epochMillis the earliest time shown, inclusive */
        Builder since(long epochMillis) {
            sinceMillis = epochMillis;
            return this;
        }

        /** @param epochMillis the time at which the records shown end, exclusive */
        Builder until(long epochMillis) {
            untilMillis = epochMillis;
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalArgumentException if the time window is empty, which is a mistake, not a query
         */
        RecordFilter build() {
            if (untilMillis <= sinceMillis) {
                throw new IllegalArgumentException("--until must be later than --since: records from --since up to, "
                        + "but not including, --until are shown");
            }
            return new RecordFilter(this);
        }
    }

    /**
     * One {@code --method} value. Without {@code #} it matches the method name; with {@code #} it matches
     * {@code class#method}, where the class is its binary name ({@code com.acme.Tools}) or the part after the last
     * dot ({@code Tools}). {@code *} stands for any run of characters, dots and {@code #} included; every other
     * character stands for itself.
     */
    static final class MethodPattern {
        private final boolean qualified;
        // Null when the pattern holds no '*': a plain comparison then, which is the common case and cheaper.
        private final Pattern glob;
        private final String literal;

        private MethodPattern(String text) {
            qualified = text.indexOf('#') >= 0;
            literal = text;
            glob = text.indexOf('*') < 0 ? null : compile(text);
        }

        static MethodPattern of(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("an empty method pattern matches nothing");
            }
            if (text.indexOf('#') != text.lastIndexOf('#')) {
                throw new IllegalArgumentException("'" + text + "' has more than one '#': use method, Class#method "
                        + "or a '*' glob of either");
            }
            return new MethodPattern(text);
        }

        boolean matches(String className, String methodName) {
            if (!qualified) {
                return test(methodName);
            }
            String simple = className.substring(className.lastIndexOf('.') + 1);
            return test(className + '#' + methodName) || test(simple + '#' + methodName);
        }

        private boolean test(String text) {
            return glob == null ? literal.equals(text) : glob.matcher(text).matches();
        }

        private static Pattern compile(String text) {
            StringBuilder regex = new StringBuilder();
            int from = 0;
            for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', from)) {
                regex.append(Pattern.quote(text.substring(from, star))).append(".*");
                from = star + 1;
            }
            regex.append(Pattern.quote(text.substring(from)));
            // DOTALL: names come from the application and could hold a line terminator; '*' must still span it.
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }
}
