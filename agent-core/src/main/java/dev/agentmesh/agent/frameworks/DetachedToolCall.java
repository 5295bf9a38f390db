package dev.agentmesh.agent.frameworks;

import dev.agentmesh.agent.rings.SessionGate;
import java.util.concurrent.atomic.AtomicBoolean;

/** An admitted framework tool call whose outcome comes on another thread, recorded once whichever way it ends. */
final class DetachedToolCall {

    final long seq;
    final SessionGate session;
    final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    DetachedToolCall(long seq, SessionGate session, long startNanos) {
        this.seq = seq;
        this.session = session;
        this.startNanos = startNanos;
    }

    /** @return whether this is the first end of the call: a result can complete, fail and be cancelled */
    boolean end() {
        return ended.compareAndSet(false, true);
    }
}
