package dev.agentmesh.javaagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * The agent's entry point ({@code Premain-Class}). It builds the isolated {@link AgentClassLoader} over the jar's
 * hidden {@code inst/} entries and hands over to the engine's installer inside it. It keeps no state beyond a
 * guard against a second start, and touches nothing else: no logging, no configuration.
 */
public final class AgentMain {

    /** The installer's binary name inside the isolated loader; referenced by name, never by class literal. */
    static final String INSTALLER = "dev.agentmesh.agent.AgentInstaller";

    private static boolean started;

    private AgentMain() {
    }

    /**
     * The operator's command line, {@code java -jar agentmesh-javaagent.jar kill|revive|quarantine|release|list|status ...}: runs the
     * engine's command in the agent's own loader, so its libraries stay hidden here too.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code;
        try {
            File jar = new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // Parent: the class path, which is this jar: the engine sees the API at the jar's top level.
            AgentClassLoader loader = new AgentClassLoader(jar, AgentMain.class.getClassLoader());
            code = (Integer) Class.forName(CLI, true, loader).getMethod("run", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            System.err.println("agentmesh: " + e.getCause());
            code = 5;
        } catch (Exception | LinkageError e) {
            System.err.println("agentmesh: cannot run the command: " + e);
            code = 5;
        }
        System.exit(code);
    }

    /**
     * Called by the JVM for {@code -javaagent:agentmesh-javaagent.jar[=options]}.
     *
     * @param agentArgs the options after {@code =}, or {@code null}
     * @param inst the JVM's instrumentation
     */
    public static void premain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, false);
    }

    /**
     * Called when the agent is attached to a running JVM. Classes already loaded are retransformed. If the agent
     * cannot start, the attach fails and the running application is left as it was; it is never stopped.
     *
     * @param agentArgs the options, or {@code null}
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, true);
    }

    private static final String CLI = "dev.agentmesh.agent.control.ControlCli";

    private static synchronized void start(String agentArgs, Instrumentation inst, boolean attachedLate) {
        if (started) {
            System.err.println("agentmesh: the agent is attached already; ignoring the second attach");
            return;
        }
        started = true;
        try {
            File jar = new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // The engine is a named module that exports and opens nothing: application code cannot reflect into it.
            Module engine = EngineLayer.define(jar);
            EngineLayer.entry(engine).accept(new Object[] {inst, agentArgs, jar, engine.getClassLoader(),
                attachedLate});
        } catch (UndeclaredThrowableException e) {
            // What the installer threw, wrapped by the entry point.
            fail(e.getCause(), attachedLate);
        } catch (Exception | LinkageError e) {
            fail(e, attachedLate);
        }
    }

    /**
     * The agent could not start. At JVM start the application must not run ungoverned, so the JVM stops; attached
     * to a running application, the attach fails and the application goes on as it was.
     */
    private static void fail(Throwable e, boolean attachedLate) {
        System.err.println("agentmesh: the agent failed to start: " + e);
        if (Boolean.getBoolean("agentmesh.verbose")) {
            e.printStackTrace();
        }
        if (attachedLate) {
            throw new IllegalStateException("agentmesh: the agent failed to start: " + e, e);
        }
        System.exit(70);
    }
}
