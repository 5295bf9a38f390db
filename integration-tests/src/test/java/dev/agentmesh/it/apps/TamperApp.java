package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Hostile application code: tries to reach into the agent's engine and the bootstrap bridge by reflection. Prints one
 * line per attempt: {@code <name> BLOCKED <exception>} or {@code <name> BYPASSED <detail>}.
 */
public final class TamperApp {

    private TamperApp() {
    }

    public static void main(String[] args) throws Exception {
        Object hv = Hypervisor.get();
        Class<?> hvClass = hv.getClass();
        Module engine = hvClass.getModule();
        System.out.println("ENGINE-MODULE " + engine.getName() + " named=" + engine.isNamed());

        attempt("engine-field-setAccessible", () -> {
            Field f = hvClass.getDeclaredField("governor");
            f.setAccessible(true);
            return f.get(hv);
        });
        attempt("engine-trySetAccessible", () -> {
            Field f = hvClass.getDeclaredField("governor");
            if (!f.trySetAccessible()) {
                throw new IllegalAccessException("trySetAccessible returned false");
            }
            return f.get(hv);
        });
        attempt("engine-privateLookupIn", () -> MethodHandles.privateLookupIn(hvClass, MethodHandles.lookup()));
        attempt("engine-public-method-reflect", () -> {
            Method m = hvClass.getMethod("sagas");
            return m.invoke(hv);
        });
        attempt("engine-addOpens-from-app", () -> {
            engine.addOpens(hvClass.getPackageName(), TamperApp.class.getModule());
            return "opened";
        });
        attempt("engine-loader-fields", () -> {
            ClassLoader l = hvClass.getClassLoader();
            Field f = l.getClass().getDeclaredFields()[0];
            f.setAccessible(true);
            return l.getClass().getName() + "." + f.getName();
        });
        attempt("engine-entry-point-again", () -> {
            @SuppressWarnings("rawtypes")
            ServiceLoader<Consumer> sl = ServiceLoader.load(engine.getLayer(), Consumer.class);
            for (Consumer<?> c : sl) {
                if (c.getClass().getModule() == engine) {
                    @SuppressWarnings("unchecked")
                    Consumer<Object[]> entry = (Consumer<Object[]>) c;
                    entry.accept(new Object[] {null, null, null, null, false});
                    return "entry accepted a second call";
                }
            }
            throw new IllegalStateException("no entry point found");
        });

        // The bootstrap bridge: in the boot loader's unnamed module, open to everyone.
        Class<?> governance = Class.forName("dev.agentmesh.bootstrap.Governance");
        Class<?> governorType = Class.forName("dev.agentmesh.bootstrap.Governor");
        Object allowAll = Proxy.newProxyInstance(governorType.getClassLoader(), new Class<?>[] {governorType},
                (p, m, a) -> m.getName().equals("enter") ? 0L : null);
        attempt("bridge-governor-swap", () -> {
            Field f = governance.getDeclaredField("governor");
            f.setAccessible(true);
            f.set(null, allowAll);
            return "governor replaced";
        });
        attempt("bridge-governor-swap-varhandle", () -> {
            MethodHandles.privateLookupIn(governance, MethodHandles.lookup())
                    .findStaticVarHandle(governance, "governor", governorType).set(allowAll);
            return "governor replaced";
        });
        attempt("bridge-handoff-reinstall", () -> {
            Class.forName("dev.agentmesh.bootstrap.Handoff").getMethod("installGovernor", governorType)
                    .invoke(null, allowAll);
            return "governor replaced";
        });
        attempt("api-hypervisor-swap", () -> {
            Class<?> holder = Class.forName("dev.agentmesh.api.Hypervisor$Installed");
            Field f = holder.getDeclaredField("HYPERVISOR");
            f.setAccessible(true);
            f.set(null, null);
            return "hypervisor replaced";
        });
        // Is a ring-0 tool still denied to a ring-3 agent after all that?
        try (AgentContext.Scope s = AgentContext.enter("nobody")) {
            Outcomes.attempt("nobody", "after-tampering", () -> new Tools().ring0());
        }
        // The agent's own writer, through the public bridge: an outcome for a call that is not this one (the ALLOW
        // of a call that already returned) would write a false record and leave the trail failing to verify.
        try (AgentContext.Scope s = AgentContext.enter("agent-r0")) {
            new Tools().ring3();
        }
        attempt("bridge-forged-outcome", () -> {
            governance.getMethod("exit", long.class, long.class, long.class, Throwable.class)
                    .invoke(null, 0L, 1L, 0L, null);
            return "outcome written for call 1";
        });
        // A record of a call that never runs, made through the public bridges as the ring-0 agent: the woven code's
        // tokens are secret, so neither a bare method id nor any guess names a method.
        try (AgentContext.Scope s = AgentContext.enter("agent-r0")) {
            attempt("bridge-forged-call", () -> {
                Method enter0 = governance.getMethod("enter0", long.class);
                String first = null;
                for (long guess = 0; guess < 100_000; guess++) {
                    try {
                        return "call recorded as seq " + enter0.invoke(null, guess) + " for token " + guess;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        if (!(e.getCause() instanceof SecurityException)) {
                            throw e;
                        }
                        first = first == null ? e.getCause().getMessage() : first;
                    }
                }
                throw new SecurityException(first + " (and 99,999 more guesses refused)");
            });
            attempt("bridge-forged-tool-call", () -> governance.getMethod("enterTool", long.class, String.class,
                    String.class, String.class, Object.class, Method.class, Object.class)
                    .invoke(null, 0L, "spring-ai", "wipe", null, "agent-r0", Tools.class.getMethod("ring0"), "{}"));
            Class<?> sagas = Class.forName("dev.agentmesh.bootstrap.SagaWeaving");
            attempt("bridge-forged-saga", () -> sagas.getMethod("open", long.class).invoke(null, 0L));
            attempt("bridge-forged-saga-step", () -> sagas.getMethod("enterStep", long.class, Class.class,
                    Object.class, Object[].class).invoke(null, 1L, Tools.class, new Tools(), new Object[0]));
            attempt("bridge-forged-compensation", () -> sagas.getMethod("externalCompensation", long.class,
                    Method.class, Method.class, String.class).invoke(null, 0L, Tools.class.getMethod("ring0"),
                    Tools.class.getMethod("ring3"), "langchain4j"));
        }

        // sun.misc.Unsafe is exported and open to everyone by jdk.unsupported: modules do not stop it.
        attempt("unsafe-read-engine-field", () -> {
            Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            Field target = hvClass.getDeclaredField("governor");
            long offset = (Long) unsafe.getClass().getMethod("objectFieldOffset", Field.class).invoke(unsafe, target);
            Object governor = unsafe.getClass().getMethod("getObject", Object.class, long.class)
                    .invoke(unsafe, hv, offset);
            return "read " + governor.getClass().getName();
        });
    }

    private static void attempt(String name, Callable<Object> action) {
        try {
            Object r = action.call();
            System.out.println(name + " BYPASSED " + r);
        } catch (Throwable t) {
            Throwable c = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.out.println(name + " BLOCKED " + c.getClass().getName() + ": " + c.getMessage());
        }
    }
}
