package dev.agentmesh.agent;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.checkpoint.Checkpointer;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.agent.config.AgentConfig;
import dev.agentmesh.agent.modules.ByteBuddyModuleSupport;
import dev.agentmesh.agent.modules.ModuleOpener;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.propagation.PropagationTargets;
import dev.agentmesh.agent.propagation.PropagationWeaver;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.ApiStartup;
import dev.agentmesh.agent.fleet.FleetConfig;
import dev.agentmesh.agent.fleet.FleetControl;
import dev.agentmesh.agent.fleet.TrailForwarder;
import dev.agentmesh.agent.weave.GovernedInterfaces;
import dev.agentmesh.agent.weave.MethodReferenceBridges;
import dev.agentmesh.agent.weave.PreloadedLambdas;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.agent.weave.RingWeaver;
import dev.agentmesh.agent.weave.StartupGate;
import dev.agentmesh.agent.control.FleetStatus;
import dev.agentmesh.agent.control.KillSwitchControl;
import dev.agentmesh.agent.weave.SagaMethods;
import dev.agentmesh.agent.saga.AnnotatedSagas;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.agent.testing.TestHooks;
import dev.agentmesh.bootstrap.Handoff;
import dev.agentmesh.bootstrap.Testing;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the running agent: module access for Chronicle, the trail (opened in the background), the governor, the
 * hypervisor, and the weaver. The governor is installed before anything is woven, so no governed method ever runs
 * without one. Started with the JVM, this runs on the agent's start-up thread while the application's {@code main}
 * already runs (see {@link AgentInstaller}).
 */
final class AgentRuntime {

    private AgentRuntime() {
    }

    /**
     * @param gate the start-up gate to open once the weavers are built, or {@code null} to install them directly
     *     (attached to a running JVM, or in test mode)
     */
    static void start(Instrumentation inst, AgentConfig config, Policy policy, CheckpointSigner signer,
            ClassLoader agentLoader, StartupGate gate) {
        Logger log = initLogging(agentLoader);
        TrailQueue.silenceChronicle();
        // The engine's own named module; and the loader's unnamed module, for classes libraries generate there.
        ModuleOpener.openForChronicle(inst, AgentRuntime.class.getModule());
        ModuleOpener.openForChronicle(inst, agentLoader.getUnnamedModule());
        ByteBuddyModuleSupport.prepare();

        String writerId = ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        AuditTrail trail = new AuditTrail(config.auditDir(),
                new GenesisInfo(writerId, policy.digest(), policy.source()), config.auditOpenTimeoutMillis(),
                TrailQueue.rollCycleNamed(config.auditRoll()));
        trail.openInBackground(agentLoader);
        if (signer != null) {
            new Checkpointer(trail, config.checkpoints(), signer).start(agentLoader);
        } else if (!config.testing()) {
            log.warn("no checkpoint.key: the trail gets no signed checkpoints, so cutting records off its end or "
                    + "rewriting it whole cannot be detected");
        }

        TrailForwarder forwarder = policy.fleet().map(fleet -> new TrailForwarder(trail, fleet, signer != null))
                .orElse(null);
        if (forwarder != null) {
            forwarder.start(agentLoader);
        }

        MethodRegistry methods = new MethodRegistry();
        RingGovernor governor = new RingGovernor(policy, methods, trail, config.denyStackTrace());
        FleetControl fleetControl = policy.fleet().flatMap(fleet -> fleet.operatorKey().map(key ->
                new FleetControl(fleet, key, governor.killSwitch(), governor.quarantines(), trail))).orElse(null);
        if (fleetControl != null) {
            fleetControl.start(agentLoader);
        } else {
            policy.fleet().ifPresent(fleet -> log.info("fleet: no operatorKey in the policy, so no command is taken "
                    + "from Kafka topic {}", fleet.controlTopic()));
        }
        Handoff.installGovernor(governor);
        AgentHypervisor hypervisor = new AgentHypervisor(governor, trail);
        AgentHypervisor.install(hypervisor);
        FleetStatus fleetStatus = forwarder == null ? null
                : new FleetStatus(policy.fleet().get(), forwarder, fleetControl);
        registerMBeans(governor, hypervisor, fleetStatus, log);
        SagaMethods sagaMethods = new SagaMethods();
        Handoff.installSagaHooks(new AnnotatedSagas(hypervisor.sagas(), sagaMethods, methods.frameworkToken()));
        if (config.testing()) {
            Testing.install(new TestHooks(trail));
            log.warn("test mode: tests may move the audit trail (testing=true); never use it in production");
        }
        // Method references get a body of their own before the weavers see the class (MethodReferenceBridges).
        GovernedInterfaces interfaces = GovernedInterfaces.of(policy.tools());
        MethodReferenceBridges bridges = new MethodReferenceBridges(interfaces, agentLoader);
        if (fleetControl != null && gate != null) {
            // Before the gate opens: until then no governed method runs (the gate holds its class back). Attached to a
            // running JVM there is no gate, and waiting would only leave its code unwoven longer.
            awaitFleetCommands(fleetControl, policy.fleet().get(), log);
        }
        if (gate == null) {
            inst.addTransformer(bridges, true);
            RingWeaver.install(inst, methods, sagaMethods, agentLoader, policy.tools(), interfaces);
            PropagationWeaver.install(inst, agentLoader);
            governPreloadedLambdas(inst, bridges, interfaces, agentLoader, log);
        } else {
            gate.open(bridges, RingWeaver.builder(inst, methods, sagaMethods, agentLoader, policy.tools(), interfaces)
                    .makeRaw(),
                    PropagationWeaver.builder(inst, agentLoader).makeRaw());
            // No preloaded-lambda scan here: the gate was installed before any class it could matter for loaded
            // (else the agent starts in full, above), and it held back every class making governed lambdas.
            retransformAfterOpening(inst, gate, log);
            ApiStartup.end();
            try {
                // This thread is not a daemon: however short main is, the JVM does not exit before the trail opened.
                trail.awaitOpened(config.auditOpenTimeoutMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("governing @Ring methods; policy {}, audit trail {}", policy.source(),
                config.auditDir().toAbsolutePath());
    }

    /** The fleet's kills apply before any governed method runs: a bounded wait, as the policy sets it. */
    private static void awaitFleetCommands(FleetControl control, FleetConfig fleet, Logger log) {
        try {
            if (fleet.controlWaitSeconds() > 0
                    && !control.awaitReplayed(java.time.Duration.ofSeconds(fleet.controlWaitSeconds()))) {
                log.warn("fleet: the operators' commands on Kafka topic {} were not read within {} s "
                        + "(fleet.controlWaitSeconds); the application starts, and they apply as they come",
                        fleet.controlTopic(), fleet.controlWaitSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The gate was closed while the application started: the JDK's executors and every thread class loaded so far
     * (including any still loading when the gate opened) are retransformed, now through the open gate, for identity
     * propagation. A failure here costs the classes concerned their propagation, logged; it never stops the start, or
     * the application.
     */
    private static void retransformAfterOpening(Instrumentation inst, StartupGate gate, Logger log) {
        try {
            Set<Class<?>> targets = new LinkedHashSet<>(PropagationWeaver.loadedTargets(inst));
            for (Class<?> c : gate.passedWhileClosed()) {
                if (PropagationTargets.isTarget(c) && inst.isModifiableClass(c)) {
                    targets.add(c);
                }
            }
            retransform(inst, targets, log, "for identity propagation; work it hands to other threads runs without the "
                    + "caller's agent");
        } catch (RuntimeException | LinkageError e) {
            log.error("could not retransform the classes loaded while the agent started; threads and executors "
                    + "among them may not carry identities: {}", e.toString());
        }
    }

    /**
     * Classes defined before the agent started may make lambdas and method references implementing governed
     * interface methods, which only their class files show: {@link PreloadedLambdas}. A failure here is logged; it
     * never stops the start.
     */
    private static void governPreloadedLambdas(Instrumentation inst, MethodReferenceBridges bridges,
            GovernedInterfaces interfaces, ClassLoader agentLoader, Logger log) {
        try {
            Set<Class<?>> targets = PreloadedLambdas.toRetransform(inst, bridges, interfaces, agentLoader);
            if (!targets.isEmpty()) {
                retransform(inst, targets, log, "for the lambdas and method references of classes loaded before the "
                        + "agent; those implementing a @Ring interface method are NOT governed");
            }
        } catch (RuntimeException | LinkageError e) {
            log.error("could not govern the lambdas and method references of classes loaded before the agent "
                    + "started; those implementing a @Ring interface method are NOT governed: {}", e.toString());
        }
    }

    /** Retransforms {@code targets}, one by one if the batch fails; {@code lost} says what a failure costs. */
    private static void retransform(Instrumentation inst, Set<Class<?>> targets, Logger log, String lost) {
        try {
            inst.retransformClasses(targets.toArray(Class<?>[]::new));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError batch) {
            // One class spoilt the batch: do them one by one, so only that one goes unwoven.
            for (Class<?> c : targets) {
                try {
                    inst.retransformClasses(c);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                    log.warn("could not weave {} {}: {}", c.getName(), lost, e.toString());
                }
            }
        }
    }

    /**
     * Registers the kill switch's MBean on a daemon thread: starting the platform MBean server costs tens of
     * milliseconds that the application's start-up need not wait for.
     */
    private static void registerMBeans(RingGovernor governor, AgentHypervisor hypervisor, FleetStatus fleet,
            Logger log) {
        Thread t = new Thread(() -> {
            // The fleet status first: the command line takes the kill switch's MBean as the sign the agent is there.
            if (fleet != null) {
                try {
                    fleet.register();
                } catch (Exception | LinkageError e) {
                    log.error("the fleet status is not reachable over JMX ({})", e.toString());
                }
            }
            try {
                KillSwitchControl.register(governor.killSwitch(), governor.quarantines(), hypervisor);
            } catch (Exception | LinkageError e) {
                log.error("the kill switch is not reachable over JMX ({}); Hypervisor.kill still works", e.toString());
            }
        }, "agentmesh-jmx");
        t.setDaemon(true);
        t.start();
    }

    /**
     * SLF4J finds its binding and {@code simplelogger.properties} through the context class loader; pointing it at
     * the agent's loader keeps the agent's logging apart from the application's.
     */
    private static Logger initLogging(ClassLoader agentLoader) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(agentLoader);
        try {
            return LoggerFactory.getLogger(AgentRuntime.class);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
