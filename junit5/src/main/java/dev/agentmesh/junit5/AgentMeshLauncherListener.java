package dev.agentmesh.junit5;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Attaches the agent when the JUnit launcher session opens, before any test class is discovered or loaded: the
 * agent must define the AgentMesh API before the tests reference it. Registered through
 * {@code META-INF/services}, so adding {@code agentmesh-junit5} to the test class path is all it takes.
 */
public final class AgentMeshLauncherListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        AgentAttacher.ensureAttached();
    }
}
