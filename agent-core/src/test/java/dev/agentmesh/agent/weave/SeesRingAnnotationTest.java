package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The weaver skips class loaders that cannot see {@code dev.agentmesh.api.Ring}. */
class SeesRingAnnotationTest {

    private final RingWeaver.SeesRingAnnotation matcher = new RingWeaver.SeesRingAnnotation();

    @Test
    void loadersThatSeeTheApiAreWovenThoseThatDoNotAreSkipped() throws Exception {
        assertThat(matcher.matches(getClass().getClassLoader())).as("the test class path has the API").isTrue();
        assertThat(matcher.matches(null)).as("the bootstrap loader, where the agent puts the API").isTrue();
        try (URLClassLoader isolated = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(matcher.matches(isolated)).as("a loader with no path to the API").isFalse();
            assertThat(matcher.matches(isolated)).as("cached answer").isFalse();
        }
    }
}
