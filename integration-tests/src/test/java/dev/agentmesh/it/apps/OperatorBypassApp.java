package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.QuarantineMode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.management.ObjectName;

/**
 * A ring-3 agent's code trying every way to act as an operator: the {@link Hypervisor} API (kill, revive, quarantine,
 * release, elevate, vouch), and the kill switch's MBean reached from inside the JVM. Prints one line per attempt,
 * {@code <ATTEMPT> <outcome>}, where the outcome is the exception's simple name or {@code DONE}; then, as ring-0
 * {@code root}, kills {@code worker} so that the intruder's revive has something to lift.
 */
public final class OperatorBypassApp {

    private OperatorBypassApp() {
    }

    public static void main(String[] args) throws Exception {
        Hypervisor hv = Hypervisor.get();
        AgentContext.runAs("root", () -> hv.kill(KillTarget.agent("worker"), "held for review", "ops"));
        ObjectName mbean = new ObjectName("dev.agentmesh:type=KillSwitch");
        // The agent registers its MBean off the start-up path; wait for it rather than test a race.
        for (int i = 0; i < 200 && !ManagementFactory.getPlatformMBeanServer().isRegistered(mbean); i++) {
            Thread.sleep(50);
        }
        try (AgentContext.Scope ignored = AgentContext.enter("intruder")) {
            attempt("API-KILL", () -> hv.kill(KillTarget.agent("root"), "mine now", "intruder"));
            attempt("API-REVIVE", () -> hv.revive(KillTarget.agent("worker"), "free", "intruder"));
            attempt("API-QUARANTINE", () -> hv.quarantine("root", Duration.ofMinutes(5), QuarantineMode.BLOCK, "x",
                    "intruder"));
            attempt("API-RELEASE", () -> hv.release("intruder", "x", "intruder"));
            attempt("API-ELEVATE", () -> hv.elevate(1, Duration.ofMinutes(5), "I deserve it"));
            attempt("API-VOUCH", () -> hv.vouch("worker", 1.0, "trust us"));
            attempt("MBEAN-REVIVE", () -> ManagementFactory.getPlatformMBeanServer().invoke(mbean, "revive",
                    new Object[] {"agent:worker", "free", "intruder"},
                    new String[] {String.class.getName(), String.class.getName(), String.class.getName()}));
            attempt("MBEAN-KILL", () -> ManagementFactory.getPlatformMBeanServer().invoke(mbean, "kill",
                    new Object[] {"all", "chaos", "intruder"},
                    new String[] {String.class.getName(), String.class.getName(), String.class.getName()}));
            // Entering root inside the intruder's scope: root acts on the intruder's behalf, with its ring.
            attempt("NESTED-ROOT-REVIVE", () -> AgentContext.runAs("root",
                    () -> hv.revive(KillTarget.agent("worker"), "free", "intruder")));
            attempt("REFLECT-GOVERNOR", () -> {
                java.lang.reflect.Field f = hv.getClass().getDeclaredField("governor");
                f.setAccessible(true);
                return f.get(hv);
            });
        }
        System.out.println("RING intruder " + hv.trust("intruder").ring());
        System.out.println("KILLS " + hv.kills().size() + " " + hv.kills().get(0).target());
        System.out.println("QUARANTINES " + hv.quarantines().size());
        System.out.println("ELEVATIONS " + hv.elevations().size());
    }

    private static void attempt(String what, Callable<?> action) {
        String outcome;
        try {
            action.call();
            outcome = "DONE";
        } catch (javax.management.MBeanException | javax.management.RuntimeMBeanException e) {
            Throwable cause = e.getCause();
            outcome = cause == null ? e.getClass().getSimpleName() : cause.getClass().getSimpleName();
        } catch (Exception | Error e) {
            outcome = e.getClass().getSimpleName();
        }
        System.out.println(what + " " + outcome);
    }
}
