package dev.agentmesh.bootstrap;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The bridge the JUnit extension ({@code agentmesh-junit5}) uses to give each test a trail of its own and read back
 * what the test recorded. Works only when the agent was started with {@code testing=true}: in production no code
 * can move the trail.
 */
public final class Testing {

    /** What the agent provides in test mode. */
    public interface Hooks {

        /**
         * Closes the current trail and starts a new one in {@code dir}, opening with a GENESIS record.
         *
         * @param dir the new audit directory
         */
        void useTrail(Path dir);

        /**
         * @return every record of the current trail, verified against the chain, each as its JSON Lines fields
         *     ({@code seq}, {@code type}, {@code agentId}, {@code method}, …, as the audit reader exports them)
         * @throws IllegalStateException naming the record where the chain breaks
         */
        List<Map<String, Object>> records();

        /**
         * Steps the clock the trail stamps records with, as an NTP adjustment steps the system's.
         *
         * @param millis how far; negative steps it back
         */
        void shiftClock(long millis);
    }

    private static volatile Hooks hooks;

    private Testing() {
    }

    /**
     * Called by the agent at start-up in test mode.
     *
     * @param h the agent's hooks
     */
    public static synchronized void install(Hooks h) {
        if (hooks != null) {
            throw new IllegalStateException("test hooks are installed already");
        }
        hooks = h;
    }

    /** @return whether the agent runs in test mode */
    public static boolean isEnabled() {
        return hooks != null;
    }

    /**
     * @param dir where the trail goes from now on
     * @throws IllegalStateException if the agent is not in test mode
     */
    public static void useTrail(Path dir) {
        require().useTrail(dir);
    }

    /** @return the current trail's records; see {@link Hooks#records()} */
    public static List<Map<String, Object>> records() {
        return require().records();
    }

    /**
     * Steps the clock the trail stamps records with, as an NTP adjustment would step the system's, to test what a
     * clock going backwards does to the trail and its reader.
     *
     * @param millis how far; negative steps it back
     * @throws IllegalStateException if the agent is not in test mode
     */
    public static void shiftClock(long millis) {
        require().shiftClock(millis);
    }

    private static Hooks require() {
        Hooks h = hooks;
        if (h == null) {
            throw new IllegalStateException("the AgentMesh agent is not in test mode: attach it with testing=true "
                    + "(the JUnit extension does)");
        }
        return h;
    }
}
