package dev.agentmesh.agent.rings;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.api.Elevation;
import dev.agentmesh.audit.format.ControlEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The elevations in force ("sudo"): agents acting in a more privileged ring for a time, as their policy allows. A
 * governed call asks with one volatile read while none is in force. An elevation whose time is up ends when next
 * looked at, recorded then. Elevations live in memory: a restart ends them, which only takes privilege away.
 */
public final class Elevations {

    private final AuditTrail trail;
    private final ConcurrentHashMap<String, Elevation> byAgent = new ConcurrentHashMap<>();
    private volatile boolean armed;

    /** @param trail where grants, uses and ends are recorded */
    public Elevations(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * @param agentId the calling agent
     * @return its elevation in force, or {@code null}
     */
    public Elevation active(String agentId) {
        if (!armed) {
            return null;
        }
        Elevation e = byAgent.get(agentId);
        if (e == null || !Instant.now().isAfter(e.until())) {
            return e;
        }
        end(e, "time is up");
        return null;
    }

    /**
     * Records and puts in force an elevation the caller has checked against the policy.
     *
     * @param elevation the elevation
     * @return it
     */
    public Elevation grant(Elevation elevation) {
        byAgent.put(elevation.agentId(), elevation);
        armed = true;
        record(ControlEvent.ELEVATED, elevation.agentId(), elevation.justification(),
                "to ring " + elevation.ring() + " until " + elevation.until());
        return elevation;
    }

    /**
     * Records that a call ran only because of an elevation: written before the call's decision record.
     *
     * @param elevation the elevation
     * @param call the call
     */
    void used(Elevation elevation, String call) {
        record(ControlEvent.ELEVATION_USED, elevation.agentId(), elevation.justification(),
                call + " at ring " + elevation.ring());
    }

    /**
     * @param agentId an agent
     * @return whether it had an elevation, which has now ended
     */
    public boolean drop(String agentId) {
        Elevation e = byAgent.get(agentId);
        return e != null && end(e, "dropped");
    }

    /** @return the elevations in force, oldest first; those whose time is up end now */
    public List<Elevation> all() {
        List<Elevation> all = new ArrayList<>();
        for (Elevation e : byAgent.values()) {
            if (active(e.agentId()) != null) {
                all.add(e);
            }
        }
        all.sort(Comparator.comparing(Elevation::from));
        return all;
    }

    private boolean end(Elevation e, String why) {
        if (!byAgent.remove(e.agentId(), e)) {
            return false;
        }
        armed = !byAgent.isEmpty();
        record(ControlEvent.ELEVATION_EXPIRED, e.agentId(), why, "ring " + e.ring() + " since " + e.from());
        return true;
    }

    private void record(ControlEvent event, String agentId, String reason, String detail) {
        trail.control(event, "agent:" + agentId, agentId, reason, detail);
    }
}
