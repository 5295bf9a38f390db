package dev.agentmesh.examples.researchdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.api.Ring;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's tools, without the agent: they work as plain Java, and declare the rings the README and the
 * research-desk story rely on. ExampleIT runs the same app under the real agent.
 */
class DeskToolsTest {

    @Test
    void toolsDeclareTheRingsTheStoryNeeds() throws Exception {
        assertThat(ring("webSearch", String.class)).isEqualTo(Ring.STANDARD);
        assertThat(ring("writeFile", String.class, String.class)).isEqualTo(Ring.TRUSTED);
        assertThat(ring("readNoticeBoard")).isEqualTo(Ring.SANDBOXED);
    }

    @Test
    void withoutTheAgentTheToolsAreJustJava(@TempDir Path dir) throws Exception {
        DeskTools tools = new DeskTools(dir);
        assertThat(tools.webSearch("x")).hasSize(3).first().asString().contains("(x)");
        Path written = tools.writeFile("r.md", "hello");
        assertThat(Files.readString(written)).isEqualTo("hello");
        assertThat(tools.readNoticeBoard()).contains("report.md");
    }

    private static int ring(String name, Class<?>... params) throws NoSuchMethodException {
        return DeskTools.class.getMethod(name, params).getAnnotation(Ring.class).value();
    }
}
