package dev.agentmesh.it.apps;

import java.io.IOException;
import java.net.SocketPermission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.Permission;

/**
 * Permits everything, but writes every network permission check (name resolution, connect, listen, accept) to the
 * file named by {@code -Dnet.record=...}. Installed with {@code -Djava.security.manager=<this class>}, which JDK 17
 * applies before any agent starts, so it sees whatever the agent does.
 */
public final class NetworkRecordingSecurityManager extends SecurityManager {

    private final ThreadLocal<Boolean> recording = ThreadLocal.withInitial(() -> false);

    @Override
    public void checkPermission(Permission perm) {
        if (perm instanceof SocketPermission && !recording.get()) {
            recording.set(true);
            try {
                Files.writeString(Paths.get(System.getProperty("net.record")),
                        perm.getName() + " " + perm.getActions() + " by " + caller() + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                recording.set(false);
            }
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }

    private static String caller() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("sun.") && !c.startsWith("jdk.")
                    && !c.equals(NetworkRecordingSecurityManager.class.getName())) {
                return c + "#" + e.getMethodName();
            }
        }
        return "the JDK";
    }
}
