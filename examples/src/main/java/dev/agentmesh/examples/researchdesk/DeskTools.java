package dev.agentmesh.examples.researchdesk;

import dev.agentmesh.api.Ring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The desk's tools: plain Java methods, each declaring the ring it requires. */
public class DeskTools {

    private final Path workDir;

    /** @param workDir where {@link #writeFile} writes */
    public DeskTools(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Searches a canned index; no network.
     *
     * @param query what to look for
     * @return matching titles
     */
    @Ring(Ring.STANDARD)
    public List<String> webSearch(String query) {
        return List.of(
                "Execution rings for LLM agents (" + query + ")",
                "Tamper-evident audit logs, a survey",
                "Sandboxing tool calls on the JVM");
    }

    /**
     * Writes a file in the work directory.
     *
     * @param name file name
     * @param content what to write
     * @return the file written
     * @throws IOException if the write fails
     */
    @Ring(Ring.TRUSTED)
    public Path writeFile(String name, String content) throws IOException {
        Files.createDirectories(workDir);
        return Files.writeString(workDir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /**
     * Reads the desk's public notice board, which anyone may do.
     *
     * @return the notice
     */
    @Ring(Ring.SANDBOXED)
    public String readNoticeBoard() {
        return "Reports go in report.md; ops-bot publishes them.";
    }
}
