package dev.agentmesh.agent.control;

import dev.agentmesh.agent.control.mbean.FleetMXBean;
import dev.agentmesh.agent.fleet.FleetConfig;
import dev.agentmesh.agent.fleet.FleetControl;
import dev.agentmesh.agent.fleet.TrailForwarder;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** The {@link FleetMXBean} over the forwarder and the control-topic reader. */
public final class FleetStatus implements FleetMXBean {

    /** Where it is registered. */
    public static final String OBJECT_NAME = "dev.agentmesh:type=Fleet";

    private final FleetConfig config;
    private final TrailForwarder forwarder;
    private final FleetControl control;

    /**
     * @param config the fleet section
     * @param forwarder the forwarder
     * @param control the control-topic reader, or {@code null} if there is none (no operator key)
     */
    public FleetStatus(FleetConfig config, TrailForwarder forwarder, FleetControl control) {
        this.config = config;
        this.forwarder = forwarder;
        this.control = control;
    }

    /** Registers it in the platform MBean server. @throws JMException if it cannot be registered */
    public void register() throws JMException {
        ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
    }

    @Override
    public String getBootstrap() {
        return config.bootstrap();
    }

    @Override
    public String getAuditTopic() {
        return config.auditTopic();
    }

    @Override
    public String getTrailKey() {
        return forwarder.trailKey();
    }

    @Override
    public long getWrittenSeq() {
        return forwarder.writtenSeq();
    }

    @Override
    public long getAcknowledgedSeq() {
        return forwarder.acknowledgedSeq();
    }

    @Override
    public long getLag() {
        return forwarder.lag();
    }

    @Override
    public String getCommands() {
        return control == null ? "off" : control.replayed() ? "read" : "reading";
    }
}
