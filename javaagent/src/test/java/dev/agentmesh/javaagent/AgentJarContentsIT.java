package dev.agentmesh.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the agent jar exposes to the application is an allow-list: the API, the bootstrap bridge and premain.
 * Everything else sits under {@code inst/}, with no loadable {@code .class} entry.
 */
class AgentJarContentsIT {

    private static final Pattern TOP_LEVEL_ALLOWED = Pattern.compile(
            "META-INF/|META-INF/MANIFEST\\.MF|dev/|dev/agentmesh/|inst/.*"
                    + "|dev/agentmesh/api/(\\w+(\\$\\w+)*\\.class)?"
                    + "|dev/agentmesh/bootstrap/(\\w+(\\$\\w+)*\\.class)?"
                    + "|dev/agentmesh/javaagent/((AgentMain|AgentClassLoader|EngineLayer(\\$[A-Za-z0-9]+)?)\\.class)?");

    static List<JarEntry> entries;
    static Attributes manifest;

    @BeforeAll
    static void open() throws IOException {
        Path jar = Paths.get(System.getProperty("agent.jar"));
        try (JarFile f = new JarFile(jar.toFile())) {
            entries = f.stream().toList();
            manifest = f.getManifest().getMainAttributes();
        }
    }

    @Test
    void onlyAllowListedEntriesAreOutsideInst() {
        assertThat(entries).extracting(JarEntry::getName)
                .allSatisfy(name -> assertThat(TOP_LEVEL_ALLOWED.matcher(name).matches())
                        .as("entry %s is outside the allow-list", name).isTrue());
    }

    @Test
    void nothingUnderInstIsALoadableClass() {
        assertThat(entries).extracting(JarEntry::getName)
                .filteredOn(n -> n.startsWith("inst/"))
                .noneMatch(n -> n.endsWith(".class"));
    }

    @Test
    void theEngineAndItsLibrariesAreHiddenUnderInst() {
        assertThat(entries).extracting(JarEntry::getName).contains(
                "inst/dev/agentmesh/agent/AgentInstaller.classdata",
                "inst/dev/agentmesh/audit/format/RecordEncoder.classdata",
                "inst/net/bytebuddy/agent/builder/AgentBuilder.classdata",
                "inst/net/openhft/chronicle/queue/ChronicleQueue.classdata",
                "inst/org/snakeyaml/engine/v2/api/Load.classdata",
                "inst/org/slf4j/LoggerFactory.classdata",
                "inst/simplelogger.properties");
    }

    @Test
    void theIndexesTheAgentReadsAtStartUpMatchTheJar() throws IOException {
        // The bootstrap-class index names exactly the top-level API and bridge classes.
        List<String> bootstrap = entries.stream().map(JarEntry::getName)
                .filter(n -> n.matches("dev/agentmesh/(api|bootstrap)/[^/]+\\.class")).toList();
        assertThat(bootstrap).isNotEmpty();
        assertThat(indexLines("inst/META-INF/agentmesh/bootstrap-classes"))
                .containsExactlyInAnyOrderElementsOf(bootstrap);
        // Every multi-release variant's version has its directory entry: the engine's reader finds the versions
        // that way rather than probing each one for every class.
        List<String> names = entries.stream().map(JarEntry::getName).toList();
        assertThat(names).filteredOn(n -> n.matches("inst/META-INF/versions/\\d+/.+"))
                .isNotEmpty()
                .allSatisfy(n -> assertThat(names).contains(n.replaceAll("^(inst/META-INF/versions/\\d+/).*", "$1")));
    }

    private static List<String> indexLines(String entry) throws IOException {
        try (JarFile f = new JarFile(Paths.get(System.getProperty("agent.jar")).toFile())) {
            return new String(f.getInputStream(f.getJarEntry(entry)).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty())
                    .toList();
        }
    }

    @Test
    void theManifestDeclaresTheAgent() {
        assertThat(manifest.getValue("Premain-Class")).isEqualTo("dev.agentmesh.javaagent.AgentMain");
        assertThat(manifest.getValue("Agent-Class")).isEqualTo("dev.agentmesh.javaagent.AgentMain");
        assertThat(manifest.getValue("Can-Retransform-Classes")).isEqualTo("true");
        assertThat(manifest.getValue("Can-Redefine-Classes")).isEqualTo("true");
    }
}
