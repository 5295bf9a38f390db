package dev.agentmesh.agent;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.agent.checkpoint.Checkpointer;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.agent.config.AgentConfig;
import dev.agentmesh.agent.modules.ByteBuddyModuleSupport;
import dev.agentmesh.agent.modules.ModuleOpener;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.propagation.PropagationWeaver;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.agent.weave.RingWeaver;
import dev.agentmesh.agent.control.KillSwitchControl;
import dev.agentmesh.agent.weave.SagaMethods;
import dev.agentmesh.agent.saga.AnnotatedSagas;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.agent.testing.TestHooks;
import dev.agentmesh.bootstrap.Handoff;
import dev.agentmesh.bootstrap.Testing;
import java.lang.instrument.Instrumentation;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the running agent: module access for Chronicle, the trail (opened in the background), the governor, the
 * hypervisor, and the weaver. The governor is installed before anything is woven, so no governed method ever runs
 * without one.
 */
final class AgentRuntime {

    private AgentRuntime() {
    }

    static void start(Instrumentation inst, AgentConfig config, Policy policy, CheckpointSigner signer,
            ClassLoader agentLoader) {
        Logger log = initLogging(agentLoader);
        TrailQueue.silenceChronicle();
        // The engine's own named module; and the loader's unnamed module, for classes libraries generate there.
        ModuleOpener.openForChronicle(inst, AgentRuntime.class.getModule());
        ModuleOpener.openForChronicle(inst, agentLoader.getUnnamedModule());

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

        MethodRegistry methods = new MethodRegistry();
        RingGovernor governor = new RingGovernor(policy, methods, trail, config.denyStackTrace());
        Handoff.installGovernor(governor);
        AgentHypervisor hypervisor = new AgentHypervisor(governor, trail);
        AgentHypervisor.install(hypervisor);
        registerKillSwitch(governor, hypervisor, log);
        SagaMethods sagaMethods = new SagaMethods();
        Handoff.installSagaHooks(new AnnotatedSagas(hypervisor.sagas(), sagaMethods));
        if (config.testing()) {
            Testing.install(new TestHooks(trail));
            log.warn("test mode: tests may move the audit trail (testing=true); never use it in production");
        }
        ByteBuddyModuleSupport.prepare();
        RingWeaver.install(inst, methods, sagaMethods, agentLoader, policy.tools());
        PropagationWeaver.install(inst, agentLoader);
        log.info("governing @Ring methods; policy {}, audit trail {}", policy.source(),
                config.auditDir().toAbsolutePath());
    }

    /**
     * Registers the kill switch's MBean on a daemon thread: starting the platform MBean server costs tens of
     * milliseconds that the application's start-up need not wait for.
     */
    private static void registerKillSwitch(RingGovernor governor, AgentHypervisor hypervisor, Logger log) {
        Thread t = new Thread(() -> {
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
