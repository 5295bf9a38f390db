package dev.agentmesh.api;

import java.time.Instant;

/**
 * A temporary ring elevation in force ("sudo"): for its time, the agent acts in a more privileged ring, as its
 * policy allows. Immutable.
 *
 * @param agentId the elevated agent
 * @param ring the ring it acts in meanwhile, 1..3; never 0
 * @param justification why, as the agent gave it
 * @param from when it began
 * @param until when it ends by itself
 */
public record Elevation(String agentId, int ring, String justification, Instant from, Instant until) {
}
