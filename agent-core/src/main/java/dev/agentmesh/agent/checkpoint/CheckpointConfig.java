package dev.agentmesh.agent.checkpoint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * When and where signed checkpoints are written. Immutable; build with {@link #builder()}.
 */
public final class CheckpointConfig {

    /** File name of the latest checkpoint inside the audit directory. */
    public static final String FILE_NAME = "checkpoint.note";

    private final Path keyFile;
    private final String keyName;
    private final Path anchor;
    private final long everyRecords;
    private final long intervalMillis;

    private CheckpointConfig(Builder b) {
        this.keyFile = b.keyFile;
        this.keyName = b.keyName;
        this.anchor = b.anchor;
        this.everyRecords = b.everyRecords;
        this.intervalMillis = b.intervalMillis;
    }

    /** @return a builder with the defaults: no key (no checkpoints), every 10,000 records or 10 s */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the Ed25519 private key (PKCS#8 PEM) that signs checkpoints, or {@code null}: no checkpoints */
    public Path keyFile() {
        return keyFile;
    }

    /** @return the key's name in signature lines */
    public String keyName() {
        return keyName;
    }

    /** @return a second place each checkpoint is copied to, outside the audit directory, or {@code null} */
    public Path anchor() {
        return anchor;
    }

    /** @return a checkpoint is written once this many records are past the last one */
    public long everyRecords() {
        return everyRecords;
    }

    /** @return a checkpoint is written this often while records arrive */
    public long intervalMillis() {
        return intervalMillis;
    }

    /** Builds a {@link CheckpointConfig}. */
    public static final class Builder {
        private Path keyFile;
        private String keyName = "agentmesh";
        private Path anchor;
        private long everyRecords = 10_000;
        private long intervalMillis = 10_000;

        private Builder() {
        }

        /** @param file private key PEM, or {@code null} @return this */
        public Builder keyFile(Path file) {
            this.keyFile = file;
            return this;
        }

        /** @param name key name @return this */
        public Builder keyName(String name) {
            this.keyName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @param file anchor file, or {@code null} @return this */
        public Builder anchor(Path file) {
            this.anchor = file;
            return this;
        }

        /** @param records positive @return this */
        public Builder everyRecords(long records) {
            if (records <= 0) {
                throw new IllegalArgumentException("records must be positive");
            }
            this.everyRecords = records;
            return this;
        }

        /** @param millis positive @return this */
        public Builder intervalMillis(long millis) {
            if (millis <= 0) {
                throw new IllegalArgumentException("interval must be positive");
            }
            this.intervalMillis = millis;
            return this;
        }

        /** @return the config */
        public CheckpointConfig build() {
            return new CheckpointConfig(this);
        }
    }
}
