package dev.agentmesh.agent.modules;

import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants Chronicle Queue the JDK internals it needs, to the agent's own unnamed module only, so the user never
 * adds {@code --add-opens} or {@code --add-exports}. The list is Chronicle's own documented one.
 */
public final class ModuleOpener {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleOpener.class);

    private ModuleOpener() {
    }

    /**
     * @param inst the JVM's instrumentation
     * @param target the module to grant access to: the agent loader's unnamed module
     */
    public static void openForChronicle(Instrumentation inst, Module target) {
        grant(inst, target, "java.base",
                new String[] {"jdk.internal.ref", "sun.nio.ch"},
                new String[] {"java.lang", "java.lang.reflect", "java.io", "java.util", "sun.nio.ch", "java.nio"});
        grant(inst, target, "jdk.unsupported", new String[] {"sun.misc"}, new String[] {"sun.misc"});
        // Only present on a full JDK; Chronicle Wire's runtime compiler uses it when it can.
        grant(inst, target, "jdk.compiler", new String[] {"com.sun.tools.javac.file"},
                new String[] {"com.sun.tools.javac"});
    }

    private static void grant(Instrumentation inst, Module target, String moduleName, String[] exports,
            String[] opens) {
        Optional<Module> found = ModuleLayer.boot().findModule(moduleName);
        if (found.isEmpty()) {
            LOG.debug("module {} is not in this runtime; skipping", moduleName);
            return;
        }
        Module module = found.get();
        if (!inst.isModifiableModule(module)) {
            LOG.warn("module {} cannot be modified; Chronicle may fail", moduleName);
            return;
        }
        inst.redefineModule(module, Set.of(), toTarget(exports, target), toTarget(opens, target), Set.of(),
                Map.of());
    }

    private static Map<String, Set<Module>> toTarget(String[] packages, Module target) {
        Map<String, Set<Module>> out = new HashMap<>();
        for (String p : packages) {
            out.put(p, Set.of(target));
        }
        return out;
    }
}
