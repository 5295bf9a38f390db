package dev.agentmesh.agent.liability;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.killswitch.StateFile;
import dev.agentmesh.agent.policy.DeclaredVouch;
import dev.agentmesh.agent.policy.LiabilityPolicy;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.TrustStatus;
import dev.agentmesh.api.Vouch;
import dev.agentmesh.audit.format.ControlEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trust scores, the vouches between agents, and the slashes that cost them, as {@link LiabilityPolicy} defines
 * them. Changes (vouching, slashing) are rare and serialised on one lock; a governed call only reads an account's
 * volatile ring and vouchers.
 *
 * <p>What outlives a restart is kept in the audit directory's {@value #STATE_FILE}: the points each agent has lost
 * (so a slashed agent does not regain its trust by restarting, while a policy edit to its score still takes effect)
 * and the vouches made at runtime. Every change is recorded on the trail first.
 */
public final class TrustLedger {

    /** The name of the file in the audit directory that keeps slashes and runtime vouches across restarts. */
    public static final String STATE_FILE = "agentmesh-trust.state";

    static final byte[] NOBODY = new byte[0];
    private static final String AGENTMESH = "agentmesh";

    private final Policy policy;
    private final LiabilityPolicy config;
    private final AuditTrail trail;
    private final StateFile state;
    private final ConcurrentHashMap<String, TrustAccount> accounts = new ConcurrentHashMap<>();
    /** Whether any agent has a voucher: until then a governed call does not look its vouchers up. */
    private volatile boolean anyVouch;

    /**
     * Opens the ledger: the policy's agents and vouches, and the slashes and runtime vouches of earlier runs.
     *
     * @param policy the policy, with a liability section
     * @param trail where changes are recorded; its directory holds the state file
     * @throws IllegalStateException if the state file is malformed, naming its line
     */
    public TrustLedger(Policy policy, AuditTrail trail) {
        this.policy = policy;
        this.config = policy.liability().orElseThrow(() -> new IllegalArgumentException("no liability section"));
        this.trail = trail;
        this.state = new StateFile(trail.dir().resolve(STATE_FILE));
        for (String id : policy.agents().keySet()) {
            if (policy.ringFromTrust(id)) {
                account(id);
            }
        }
        for (DeclaredVouch v : config.vouches()) {
            bond(v.voucher(), v.vouchee(), v.share(), "policy");
        }
        load();
        synchronized (this) {
            refresh(false);
        }
    }

    private void load() {
        int line = 0;
        for (String[] row : state.read()) {
            line++;
            try {
                if (row.length == 3 && row[0].equals("lost")) {
                    account(Ids.require("agentId", row[1])).penalty = Math.max(0, Integer.parseInt(row[2]));
                } else if (row.length == 4 && row[0].equals("vouch")) {
                    double share = Double.parseDouble(row[3]);
                    new DeclaredVouch(Ids.require("agentId", row[1]), Ids.require("agentId", row[2]), share);
                    if (account(row[2]).backedBy.containsKey(row[1])) {
                        continue; // the policy now declares it; the policy's wins
                    }
                    bond(row[1], row[2], share, "api");
                } else {
                    throw state.malformed(line, "expected 'lost', agent, points or 'vouch', voucher, vouchee, "
                            + "share, tab-separated");
                }
            } catch (IllegalArgumentException e) {
                throw state.malformed(line, e.getMessage());
            }
        }
    }

    /** @return the liability section this ledger follows */
    public LiabilityPolicy config() {
        return config;
    }

    /**
     * @param agentId an agent
     * @return its account, or {@code null} if it has none: no trust ring, no vouch, no slash
     */
    public TrustAccount find(String agentId) {
        return accounts.get(agentId);
    }

    /**
     * What a governed call's record names as the agent's vouchers. Allocation-free.
     *
     * @param agentId the acting agent
     * @return the UTF-8 of its vouchers' ids, comma-joined and sorted; empty if none
     */
    public byte[] vouchedByUtf8(String agentId) {
        if (!anyVouch) {
            return NOBODY;
        }
        TrustAccount a = accounts.get(agentId);
        return a == null ? NOBODY : a.vouchedByUtf8;
    }

    private TrustAccount account(String agentId) {
        return accounts.computeIfAbsent(agentId, id -> new TrustAccount(id,
                policy.trustOf(id).orElse(config.initialTrust()), policy.ringFromTrust(id)));
    }

    private void bond(String voucher, String vouchee, double share, String source) {
        TrustAccount from = account(voucher);
        TrustAccount to = account(vouchee);
        Bond bond = new Bond(from, to, share, source);
        from.backing.put(vouchee, bond);
        to.backedBy.put(voucher, bond);
    }

    /**
     * The caller vouches for another agent at runtime (the caller's ring is checked by the hypervisor).
     *
     * @param voucherId the vouching agent
     * @param voucheeId the agent vouched for
     * @param share more than 0, at most 1; the voucher's shares add up to at most 1
     * @param reason why
     * @return the vouch, recorded
     * @throws IllegalArgumentException if an argument is malformed, the shares would exceed 1, or the policy declares
     *     that vouch already
     */
    public synchronized Vouch vouch(String voucherId, String voucheeId, double share, String reason) {
        new DeclaredVouch(Ids.require("voucherId", voucherId), Ids.require("voucheeId", voucheeId), share);
        requireText(reason);
        TrustAccount from = account(voucherId);
        Bond existing = from.backing.get(voucheeId);
        if (existing != null && existing.source.equals("policy")) {
            throw new IllegalArgumentException("the policy declares " + voucherId + "'s vouch for " + voucheeId
                    + "; change it there");
        }
        double staked = share;
        for (Bond b : from.backing.values()) {
            staked += b == existing ? 0 : b.share;
        }
        if (staked > 1 + 1e-9) {
            throw new IllegalArgumentException("agent " + voucherId + " would stake more than all its trust: its "
                    + "shares would add up to " + String.format(Locale.ROOT, "%.2f", staked) + ", at most 1");
        }
        bond(voucherId, voucheeId, share, "api");
        Bond made = from.backing.get(voucheeId);
        trail.control(ControlEvent.VOUCHED, "agent:" + voucheeId, voucherId, reason,
                "share=" + share(share) + " bond=" + made.value() + " via=api");
        save();
        refresh(true);
        return made.toVouch();
    }

    /**
     * @param voucherId the agent that vouched
     * @param voucheeId the agent it vouched for
     * @param reason why
     * @return whether a runtime vouch was withdrawn
     */
    public synchronized boolean withdraw(String voucherId, String voucheeId, String reason) {
        requireText(reason);
        TrustAccount from = accounts.get(Ids.require("voucherId", voucherId));
        Bond bond = from == null ? null : from.backing.get(Ids.require("voucheeId", voucheeId));
        if (bond == null || !bond.source.equals("api")) {
            return false;
        }
        from.backing.remove(voucheeId);
        bond.vouchee.backedBy.remove(voucherId);
        trail.control(ControlEvent.VOUCH_WITHDRAWN, "agent:" + voucheeId, voucherId, reason,
                "share=" + share(bond.share));
        save();
        refresh(true);
        return true;
    }

    /**
     * Slashes an offender and cascades to its vouchers: each loses what {@link LiabilityPolicy} says, every loss
     * recorded as SLASHED with its chain of attribution, and the rings that follow trust recomputed.
     *
     * @param offenderId whose fault it was
     * @param points what the offence costs, 0 for nothing
     * @param cause what it did, for the record
     * @return the slashes made, offender first
     */
    public synchronized List<Slash> slash(String offenderId, int points, String cause) {
        if (points <= 0) {
            return List.of();
        }
        List<Slash> slashes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Slash> frontier = new ArrayDeque<>();
        TrustAccount offender = account(offenderId);
        seen.add(offenderId);
        Slash first = take(offender, points, 0, offenderId, offenderId, cause);
        slashes.add(first);
        frontier.add(first);
        while (!frontier.isEmpty()) {
            Slash below = frontier.poll();
            if (below.level() == config.cascadeDepth() || below.points() == 0) {
                continue;
            }
            TrustAccount backed = accounts.get(below.agentId());
            for (Bond bond : List.copyOf(backed.backedBy.values())) {
                if (!seen.add(bond.voucher.id)) {
                    continue; // one loss per agent per offence, even where vouches form a cycle
                }
                int forfeit = Math.min(bond.value(), (int) Math.ceil(below.points() * config.cascadeShare()));
                if (forfeit <= 0) {
                    continue;
                }
                Slash up = take(bond.voucher, forfeit, below.level() + 1, offenderId,
                        below.chain() + "<" + bond.voucher.id, "vouched for " + below.agentId() + ": " + cause);
                slashes.add(up);
                frontier.add(up);
            }
        }
        save();
        refresh(true);
        return slashes;
    }

    private Slash take(TrustAccount account, int points, int level, String offenderId, String chain, String cause) {
        int before = account.own();
        int lost = Math.min(points, before);
        account.penalty += lost;
        trail.control(ControlEvent.SLASHED, "agent:" + account.id, offenderId, cause, "points=" + lost + " before="
                + before + " after=" + account.own() + " level=" + level + " chain=" + chain);
        return new Slash(account.id, lost, before, account.own(), level, offenderId, chain);
    }

    /**
     * @param agentId an agent
     * @return the agents it vouches for, sorted
     */
    public List<String> vouchees(String agentId) {
        TrustAccount a = accounts.get(agentId);
        if (a == null) {
            return List.of();
        }
        synchronized (this) {
            return a.backing.keySet().stream().sorted().toList();
        }
    }

    /**
     * @param agentId an agent
     * @param fixedRing the ring the policy gives it, for an agent whose ring does not follow trust
     * @return its standing
     */
    public synchronized TrustStatus status(String agentId, int fixedRing) {
        TrustAccount a = accounts.get(agentId);
        if (a == null) {
            int own = policy.trustOf(agentId).orElse(config.initialTrust());
            return new TrustStatus(agentId, own, own, fixedRing, false, List.of(), List.of());
        }
        return new TrustStatus(agentId, a.own(), effective(a), a.fromTrust ? a.ring : fixedRing, a.fromTrust,
                a.backedBy.values().stream().map(Bond::toVouch).toList(),
                a.backing.values().stream().map(Bond::toVouch).toList());
    }

    private static int effective(TrustAccount a) {
        long total = a.own();
        for (Bond b : a.backedBy.values()) {
            total += b.value();
        }
        return (int) Math.min(LiabilityPolicy.MAX_TRUST, total);
    }

    /** Recomputes every trust ring and voucher list, recording each ring that changed if {@code record}. */
    private void refresh(boolean record) {
        boolean vouched = false;
        for (TrustAccount a : accounts.values()) {
            vouched |= !a.backedBy.isEmpty();
            a.vouchedByUtf8 = a.backedBy.isEmpty() ? NOBODY : dev.agentmesh.audit.format.Utf8.encode(
                    String.join(",", new java.util.TreeSet<>(a.backedBy.keySet())));
            if (!a.fromTrust) {
                continue;
            }
            int trust = effective(a);
            int ring = config.ringFor(trust);
            if (ring != a.ring && record) {
                trail.control(ControlEvent.RING_CHANGED, "agent:" + a.id, AGENTMESH, "effective trust is now "
                        + trust, "from=" + a.ring + " to=" + ring + " trust=" + trust);
            }
            a.ring = ring;
        }
        anyVouch = vouched;
    }

    /** Keeps slashes and runtime vouches for a restart; a failure is logged: they still hold in this JVM. */
    private void save() {
        List<String[]> rows = new ArrayList<>();
        for (TrustAccount a : accounts.values()) {
            if (a.penalty > 0) {
                rows.add(new String[] {"lost", a.id, Integer.toString(a.penalty)});
            }
            for (Bond b : a.backing.values()) {
                if (b.source.equals("api")) {
                    rows.add(new String[] {"vouch", a.id, b.vouchee.id, Double.toString(b.share)});
                }
            }
        }
        try {
            state.write(rows);
        } catch (java.io.UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(TrustLedger.class).error(
                    "slashes and vouches could not be saved; a restart would forget them: {}", e.getMessage());
        }
    }

    private static String share(double share) {
        return String.format(Locale.ROOT, "%.2f", share);
    }

    private static void requireText(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank: every vouch says why");
        }
    }

    /**
     * One loss of trust.
     *
     * @param agentId who lost it
     * @param points how much
     * @param before its own score before
     * @param after … after
     * @param level 0 for the offender, k for a voucher k levels up
     * @param offenderId whose fault it was
     * @param chain offender, then each voucher up to this one, joined by {@code <}
     */
    public record Slash(String agentId, int points, int before, int after, int level, String offenderId,
            String chain) {
    }
}
