package dev.agentmesh.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per audit directory (SingleWriterIT shows it across two JVMs). */
class WriterLockTest {

    @Test
    void aHeldDirectoryIsRefusedNamingTheHolderAndFreedOnClose(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("audit");
        try (WriterLock first = WriterLock.acquire(dir)) {
            assertThat(Files.readString(dir.resolve(WriterLock.FILE_NAME)))
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> WriterLock.acquire(dir))
                    .isInstanceOf(WriterLock.HeldElsewhereException.class)
                    .hasMessageContaining("is in use by another JVM (pid " + ProcessHandle.current().pid() + ")");
        }
        try (WriterLock again = WriterLock.acquire(dir)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAnIoErrorNotAHeldLock(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThatThrownBy(() -> WriterLock.acquire(file.resolve("audit")))
                .isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(WriterLock.HeldElsewhereException.class);
    }
}
