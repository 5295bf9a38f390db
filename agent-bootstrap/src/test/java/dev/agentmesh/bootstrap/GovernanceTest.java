package dev.agentmesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.api.RingViolationException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link Governance} bridge. Its governor is a one-shot static, so this JVM's copy is only ever tested
 * uninstalled; installing is tested on private copies of the bridge, each defined by its own class loader.
 */
class GovernanceTest {

    // ---- this JVM's bridge: never installed ----

    @Test
    void beforeInstallEveryGovernedCallIsDenied() {
        assertThat(Governance.isInstalled()).isFalse();

        assertThatThrownBy(() -> Governance.enter(0, new Object[] {"x"}))
                .isInstanceOf(AuditUnavailableException.class).isInstanceOf(SecurityException.class)
                .hasMessageContaining("not initialised");
        assertThatThrownBy(() -> Governance.enter(123, null)).isInstanceOf(AuditUnavailableException.class);
        assertThatCode(() -> Governance.exit(0, 1, System.nanoTime(), new RuntimeException()))
                .as("exit never throws").doesNotThrowAnyException();
        assertThat(Governance.isInstalled()).isFalse();
    }

    @Test
    void installingNoGovernorIsRefusedAndLeavesCallsDenied() {
        assertThatThrownBy(() -> Handoff.installGovernor(null)).isInstanceOf(NullPointerException.class);
        assertThat(Governance.isInstalled()).isFalse();
        assertThatThrownBy(() -> Governance.enter(0, null)).isInstanceOf(AuditUnavailableException.class);
    }

    // ---- private copies of the bridge ----

    /** Defines its own copy of every {@code dev.agentmesh.bootstrap} class; delegates everything else. */
    private static final class IsolatedBridge extends ClassLoader {
        IsolatedBridge() {
            super("isolated-bridge", GovernanceTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.agentmesh.bootstrap.") || name.startsWith(GovernanceTest.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** A private bridge and a recording governor for it. */
    private static final class Fixture {
        final Class<?> governance;
        final Class<?> governorType;
        final List<List<Object>> calls = new ArrayList<>();
        RuntimeException toThrow;

        Fixture() throws Exception {
            IsolatedBridge loader = new IsolatedBridge();
            governance = loader.loadClass(Governance.class.getName());
            governorType = loader.loadClass(Governor.class.getName());
            assertThat(governance).isNotSameAs(Governance.class);
        }

        Object newGovernor(long seq) {
            return Proxy.newProxyInstance(governorType.getClassLoader(), new Class<?>[] {governorType},
                    (proxy, method, args) -> {
                        if (method.getDeclaringClass() == Object.class) {
                            return method.getName().equals("equals") ? proxy == args[0]
                                    : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                    : "governor";
                        }
                        List<Object> call = new ArrayList<>();
                        call.add(method.getName());
                        call.addAll(Arrays.asList(args));
                        calls.add(call);
                        if (toThrow != null && method.getName().equals("enter")) {
                            throw toThrow;
                        }
                        return method.getName().equals("enter") ? seq : null;
                    });
        }

        Object invoke(String name, Object... args) throws Throwable {
            if (name.equals("install")) {
                Method m = governance.getClassLoader().loadClass(Handoff.class.getName())
                        .getMethod("installGovernor", governorType);
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            for (Method m : governance.getMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                    try {
                        return m.invoke(null, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
            throw new AssertionError("no method " + name);
        }

        boolean installed() throws Throwable {
            return (Boolean) invoke("isInstalled");
        }
    }

    @Test
    void aFreshPrivateBridgeDeniesLikeThisOne() throws Throwable {
        Fixture f = new Fixture();

        assertThat(f.installed()).isFalse();
        assertThatThrownBy(() -> f.invoke("enter", 1L, null)).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("not initialised");
    }

    @Test
    void afterInstallCallsGoToTheGovernor() throws Throwable {
        Fixture f = new Fixture();
        Object governor = f.newGovernor(41L);
        Object[] args = {"a", 2};
        Throwable thrown = new IllegalStateException();

        f.invoke("install", governor);

        assertThat(f.installed()).isTrue();
        assertThat(f.invoke("enter", 7L, args)).isEqualTo(41L);
        f.invoke("exit", 7L, 41L, 99L, thrown);
        f.invoke("exit", 8L, 42L, 100L, null);
        assertThat(f.calls).hasSize(3);
        assertThat(f.calls.get(0)).containsExactly("enter", 7L, args);
        assertThat(f.calls.get(1)).containsExactly("exit", 7L, 41L, 99L, thrown);
        assertThat(f.calls.get(2)).containsExactly("exit", 8L, 42L, 100L, null);
        assertThat(Governance.isInstalled()).as("this JVM's own bridge is untouched").isFalse();
    }

    @Test
    void aDenialFromTheGovernorPropagatesUnchanged() throws Throwable {
        Fixture f = new Fixture();
        f.invoke("install", f.newGovernor(0));
        RingViolationException denial = new RingViolationException("a", 3, "X#m()V", 0);
        f.toThrow = denial;

        Throwable t = catchThrowable(() -> f.invoke("enter", 1, new Object[0]));

        assertThat(t).isSameAs(denial);
    }

    @Test
    void aSecondInstallIsRejectedAndKeepsTheFirstGovernor() throws Throwable {
        Fixture f = new Fixture();
        f.invoke("install", f.newGovernor(1L));
        Object second = f.newGovernor(2L);

        assertThatThrownBy(() -> f.invoke("install", second)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("installed already");
        assertThat(f.invoke("enter", 0, null)).as("still the first governor").isEqualTo(1L);
    }

    @Test
    void aBridgeInitialisedBeforeInstallStaysDenyingAndRefusesTheGovernor() throws Throwable {
        Fixture f = new Fixture();
        assertThat(f.installed()).isFalse();

        assertThatThrownBy(() -> f.invoke("install", f.newGovernor(1L))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.invoke("enter", 1L, null)).isInstanceOf(AuditUnavailableException.class);
    }

    @Test
    void theInstalledGovernorCannotBeReplacedByReflection() throws Throwable {
        Fixture f = new Fixture();
        f.invoke("install", f.newGovernor(1L));
        java.lang.reflect.Field field = f.governance.getDeclaredField("governor");
        field.setAccessible(true);

        assertThatThrownBy(() -> field.set(null, f.newGovernor(2L))).isInstanceOf(IllegalAccessException.class);
        assertThat(f.invoke("enter", 0, null)).isEqualTo(1L);
    }
}
