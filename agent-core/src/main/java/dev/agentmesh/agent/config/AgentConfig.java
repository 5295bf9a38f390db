package dev.agentmesh.agent.config;

import dev.agentmesh.agent.checkpoint.CheckpointConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * The agent's resolved options. Immutable; build with {@link #builder()} or resolve with {@link ConfigResolver}.
 */
public final class AgentConfig {

    /** Where the trail goes when no directory is configured: {@code ./agentmesh-audit}. */
    public static final Path DEFAULT_AUDIT_DIR = Paths.get("agentmesh-audit");

    private final Path policy;
    private final Path auditDir;
    private final boolean denyStackTrace;
    private final boolean testing;
    private final long auditOpenTimeoutMillis;
    private final String auditRoll;
    private final CheckpointConfig checkpoints;

    private AgentConfig(Builder b) {
        this.policy = b.policy;
        this.auditDir = Objects.requireNonNull(b.auditDir, "auditDir");
        this.denyStackTrace = b.denyStackTrace;
        this.testing = b.testing;
        this.auditOpenTimeoutMillis = b.auditOpenTimeoutMillis;
        this.auditRoll = b.auditRoll;
        this.checkpoints = b.checkpoints.build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the policy file, or {@code null} for the built-in defaults (every agent sandboxed) */
    public Path policy() {
        return policy;
    }

    /** @return the audit directory */
    public Path auditDir() {
        return auditDir;
    }

    /** @return whether {@code RingViolationException}s carry a stack trace */
    public boolean denyStackTrace() {
        return denyStackTrace;
    }

    /** @return whether tests may move the trail to a directory of their own (the JUnit extension's mode) */
    public boolean testing() {
        return testing;
    }

    /** @return how long a governed call waits for the trail to open before it is denied */
    public long auditOpenTimeoutMillis() {
        return auditOpenTimeoutMillis;
    }

    /** @return how often a new trail rolls to a new cycle file, by name (see {@code TrailQueue.rollCycleNamed}) */
    public String auditRoll() {
        return auditRoll;
    }

    /** @return when and where signed checkpoints are written */
    public CheckpointConfig checkpoints() {
        return checkpoints;
    }

    @Override
    public String toString() {
        return "AgentConfig{policy=" + policy + ", auditDir=" + auditDir + ", denyStackTrace=" + denyStackTrace
                + ", auditOpenTimeoutMillis=" + auditOpenTimeoutMillis + ", auditRoll=" + auditRoll + '}';
    }

    /** Builds an {@link AgentConfig}. */
    public static final class Builder {
        private Path policy;
        private Path auditDir = DEFAULT_AUDIT_DIR;
        private boolean denyStackTrace;
        private boolean testing;
        private long auditOpenTimeoutMillis = 60_000;
        private String auditRoll = "daily";
        private final CheckpointConfig.Builder checkpoints = CheckpointConfig.builder();

        private Builder() {
        }

        /** @param file the policy file, or {@code null} @return this */
        public Builder policy(Path file) {
            this.policy = file;
            return this;
        }

        /** @param dir the audit directory @return this */
        public Builder auditDir(Path dir) {
            this.auditDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** @param enabled whether denials carry stack traces @return this */
        public Builder denyStackTrace(boolean enabled) {
            this.denyStackTrace = enabled;
            return this;
        }

        /** @param enabled whether tests may move the trail @return this */
        public Builder testing(boolean enabled) {
            this.testing = enabled;
            return this;
        }

        /** @param millis how long calls wait for the trail to open @return this */
        public Builder auditOpenTimeoutMillis(long millis) {
            if (millis <= 0) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.auditOpenTimeoutMillis = millis;
            return this;
        }

        /** @param roll a roll cycle name, such as {@code daily} or {@code hourly} @return this */
        public Builder auditRoll(String roll) {
            this.auditRoll = Objects.requireNonNull(roll, "roll");
            return this;
        }

        /** @return the checkpoint settings being built, to set in place */
        public CheckpointConfig.Builder checkpoints() {
            return checkpoints;
        }

        /** @return the config */
        public AgentConfig build() {
            return new AgentConfig(this);
        }
    }
}
