package dev.agentmesh.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The engine module's one entry point, provided as a {@code java.util.function.Consumer} service so that
 * {@code AgentMain} can start the engine without the module exporting anything. It accepts one call per JVM: the
 * provider is reachable through the module's layer by anyone, so a second call (from application code) is refused.
 */
public final class EngineEntry implements Consumer<Object[]> {

    private static final AtomicBoolean USED = new AtomicBoolean();

    /** For {@code ServiceLoader}. */
    public EngineEntry() {
    }

    /**
     * @param a {@code {Instrumentation, String agentArgs, File agentJar, ClassLoader agentLoader, Boolean attachedLate}}
     * @throws UndeclaredThrowableException wrapping what {@link AgentInstaller#install} threw
     */
    @Override
    public void accept(Object[] a) {
        if (!USED.compareAndSet(false, true)) {
            throw new IllegalStateException("the engine is started already");
        }
        try {
            AgentInstaller.install((Instrumentation) a[0], (String) a[1], (File) a[2], (ClassLoader) a[3],
                    (Boolean) a[4]);
        } catch (RuntimeException | Error e) {
            throw new UndeclaredThrowableException(e);
        } catch (Exception e) {
            throw new UndeclaredThrowableException(e);
        }
    }
}
