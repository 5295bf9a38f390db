package dev.agentmesh.agent.control;

import dev.agentmesh.agent.control.mbean.KillSwitchMXBean;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.agentmesh.agent.fleet.FleetCommand;
import dev.agentmesh.api.KillTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator's command line, run as {@code java -jar agentmesh-javaagent.jar <command>}: reaches a running JVM by
 * pid through the attach API, starts its local JMX agent, and calls the {@link KillSwitchMXBean}. A kill has taken
 * effect in the target JVM when the command exits 0.
 */
@Command(name = "agentmesh-javaagent.jar", mixinStandardHelpOptions = true,
        description = "Operate the AgentMesh agent in a running JVM: kill, revive, quarantine, release, list, status, "
                + "fleet.",
        subcommands = {ControlCli.Kill.class, ControlCli.Revive.class, ControlCli.Quarantine.class,
            ControlCli.Release.class, ControlCli.ListKills.class, ControlCli.Status.class, ControlCli.Fleet.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done: a kill or revival has taken effect in the target JVM (with --kafka: the fleet's brokers have it)",
            "2:cannot reach the JVM (no such pid, another user's JVM, attach refused) or, with --kafka, the brokers",
            "3:the JVM does not run the AgentMesh agent",
            "4:usage error",
            "5:the agent refused or failed the operation (the message says why)"})
public final class ControlCli implements Callable<Integer> {

    static final int OK = 0;
    static final int UNREACHABLE = 2;
    static final int NO_AGENT = 3;
    static final int USAGE = 4;
    static final int FAILED = 5;

    private ControlCli() {
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing command: kill, revive, quarantine, release, list, status, fleet");
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String[] args) {
        // Libraries that load classes by name (Kafka's client, for --kafka) look through the context loader: it must
        // be the agent's own, where they are, not the class path's.
        Thread.currentThread().setContextClassLoader(ControlCli.class.getClassLoader());
        CommandLine cmd = new CommandLine(new ControlCli());
        cmd.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILED);
        cmd.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("agentmesh: " + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandName() + " --help'.");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("agentmesh: " + e.getMessage());
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(c.getErr());
            }
            return e instanceof Failure f ? f.code : FAILED;
        });
        return cmd.execute(args);
    }

    /** Where the command acts: the JVM. */
    static class Jvm {
        @Option(names = "--pid", required = true, description = "The process id of the JVM running the agent.")
        long pid;

        @Option(names = "--verbose", description = "Print stack traces with errors.")
        boolean verbose;
    }

    /** What a kill or revival names. */
    static class Target {
        @Option(names = "--agent", description = "One agent, everywhere.")
        String agent;

        @Option(names = "--session", description = "Every call in one session.")
        String session;

        @Option(names = "--all", description = "Every governed call in the JVM.")
        boolean all;

        KillTarget toTarget() {
            return all ? KillTarget.all() : agent != null ? KillTarget.agent(agent) : KillTarget.session(session);
        }
    }

    /** Where an operator action goes: one JVM, by pid, or every JVM of a fleet, through Kafka. */
    static class Where {
        @Option(names = "--pid", required = true, description = "The process id of the JVM running the agent.")
        Long pid;

        @ArgGroup(exclusive = false)
        FleetPublisher fleet;
    }

    /** Options every operator action has: where, why and who. */
    abstract static class Operation implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        @Option(names = "--verbose", description = "Print stack traces with errors.")
        boolean verbose;

        @Option(names = "--reason", required = true, description = "Why; recorded on the audit trail.")
        String reason;

        @Option(names = "--operator", description = "Who you are; recorded. Default: your OS user name.")
        String operator = System.getProperty("user.name", "operator") + "@cli";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** @return whether the action goes to a fleet: then {@link #toFleet} sends it */
        boolean fleet() {
            return where.fleet != null;
        }

        /** Sends the action to every JVM of the fleet, signed, and prints that it went. */
        Integer toFleet(FleetCommand.Action action, String target, java.time.Duration duration,
                dev.agentmesh.api.QuarantineMode mode) throws Exception {
            FleetCommand command;
            try {
                command = new FleetCommand(java.util.UUID.randomUUID().toString(), System.currentTimeMillis(), action,
                        target, duration, mode, operator, reason);
            } catch (IllegalArgumentException e) {
                throw new Failure(USAGE, e.getMessage());
            }
            out().println(where.fleet.send(command));
            return OK;
        }
    }

    /** Options of kill and revive: one target. */
    abstract static class TargetOperation extends Operation {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
    }

    /** Options of quarantine and release: one agent. */
    abstract static class AgentOperation extends Operation {
        @Option(names = "--agent", required = true, description = "The agent.")
        String agent;
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "Kill an agent, a session or everything: later calls fail with AgentKilledError, calls in "
                    + "flight are interrupted, running sagas compensate. Exits 0 once the kill has taken effect.")
    static final class Kill extends TargetOperation {
        @Override
        public Integer call() throws Exception {
            if (fleet()) {
                return toFleet(FleetCommand.Action.KILL, target.toTarget().toString(), null, null);
            }
            String done = (String) Connection.invoke(where.pid, "kill", target.toTarget().toString(), reason, operator);
            out().println(done);
            return OK;
        }
    }

    @Command(name = "revive", mixinStandardHelpOptions = true,
            description = "Lift a kill, as it was given (reviving an agent does not lift a kill of its session).")
    static final class Revive extends TargetOperation {
        @Override
        public Integer call() throws Exception {
            if (fleet()) {
                return toFleet(FleetCommand.Action.REVIVE, target.toTarget().toString(), null, null);
            }
            boolean was = (Boolean) Connection.invoke(where.pid, "revive", target.toTarget().toString(), reason,
                    operator);
            out().println(was ? "revived " + target.toTarget() : target.toTarget() + " was not killed");
            return OK;
        }
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true,
            description = "Quarantine an agent for a time: demote it to ring 3, or block all its calls.")
    static final class Quarantine extends AgentOperation {
        @Option(names = "--for", required = true, description = "How long, as 10m, 2h, 1d or ISO-8601 (PT10M).")
        String duration;

        @Option(names = "--mode", defaultValue = "demote", description = "demote (to ring 3) or block.")
        String mode;

        @Override
        public Integer call() throws Exception {
            if (fleet()) {
                java.time.Duration d;
                dev.agentmesh.api.QuarantineMode m;
                try {
                    d = java.time.Duration.parse(iso(duration));
                    m = dev.agentmesh.api.QuarantineMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
                } catch (RuntimeException e) {
                    throw new Failure(USAGE, "--for must be like 10m, 2h, 1d or PT10M, and --mode demote or block");
                }
                return toFleet(FleetCommand.Action.QUARANTINE, "agent:" + agent, d, m);
            }
            String done = (String) Connection.invoke(where.pid, "quarantine", agent, iso(duration), mode, reason,
                    operator);
            out().println(done);
            return OK;
        }

        private String iso(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text);
            if (!m.matches()) {
                return text; // ISO-8601 as given; the agent parses and checks it
            }
            String unit = m.group(2);
            return unit.equals("d") ? "P" + m.group(1) + "D" : "PT" + m.group(1) + unit.toUpperCase(java.util.Locale.ROOT);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "End an agent's quarantine now.")
    static final class Release extends AgentOperation {
        @Override
        public Integer call() throws Exception {
            if (fleet()) {
                return toFleet(FleetCommand.Action.RELEASE, "agent:" + agent, null, null);
            }
            boolean was = (Boolean) Connection.invoke(where.pid, "release", agent, reason, operator);
            out().println(was ? "released agent:" + agent : "agent:" + agent
                    + " was not quarantined");
            return OK;
        }
    }

    /** A command that prints one attribute of the MBean as a table. */
    abstract static class Table implements Callable<Integer> {
        @CommandLine.Mixin
        Jvm jvm = new Jvm();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final String attribute;
        private final String header;

        Table(String attribute, String header) {
            this.attribute = attribute;
            this.header = header;
        }

        @Override
        public Integer call() throws Exception {
            String[] rows = (String[]) Connection.attribute(jvm.pid, attribute);
            PrintWriter out = spec.commandLine().getOut();
            out.println(header);
            for (String row : rows) {
                out.println(row);
            }
            return OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the kills in force.")
    static final class ListKills extends Table {
        ListKills() {
            super("Kills", "TARGET\tOPERATOR\tSINCE\tREASON");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the agents: ring, killed or running, calls in flight.")
    static final class Status extends Table {
        Status() {
            super("Agents", "AGENT\tRING\tSTATE\tIN FLIGHT");
        }
    }

    @Command(name = "fleet", mixinStandardHelpOptions = true,
            description = {"Show how far the JVM's audit trail has reached Kafka (fleet mode): records written, "
                    + "acknowledged by the brokers, and the lag between; and whether the operators' commands were read.",
                "Prints a header and one row, or a line saying the JVM is not in fleet mode."})
    static final class Fleet implements Callable<Integer> {
        private static final String[] ATTRIBUTES = {"AuditTopic", "TrailKey", "WrittenSeq", "AcknowledgedSeq", "Lag",
            "Commands"};

        @CommandLine.Mixin
        Jvm jvm = new Jvm();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Object row = Connection.withBean(jvm.pid, (mbs, killSwitch) -> {
                ObjectName name = new ObjectName(FleetStatus.OBJECT_NAME);
                if (!mbs.isRegistered(name)) {
                    return null;
                }
                StringBuilder line = new StringBuilder();
                for (String attribute : ATTRIBUTES) {
                    // One at a time: getAttributes would leave out one that failed, and the row would not match.
                    line.append(line.length() == 0 ? "" : "\t").append(mbs.getAttribute(name, attribute));
                }
                return line.toString();
            });
            PrintWriter out = spec.commandLine().getOut();
            if (row == null) {
                out.println("JVM " + jvm.pid + " is not in fleet mode (its policy has no fleet: section)");
            } else {
                out.println("TOPIC\tTRAIL\tWRITTEN\tACKNOWLEDGED\tLAG\tCOMMANDS");
                out.println(row);
            }
            return OK;
        }
    }

    /** A failure with its exit code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** One JMX conversation with the target JVM. */
    static final class Connection {

        private Connection() {
        }

        static Object invoke(long pid, String operation, String... args) throws Exception {
            String[] signature = new String[args.length];
            java.util.Arrays.fill(signature, String.class.getName());
            return withBean(pid, (mbs, name) -> {
                try {
                    return mbs.invoke(name, operation, args, signature);
                } catch (MBeanException | javax.management.RuntimeMBeanException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new Failure(FAILED, "the agent in JVM " + pid + " refused: " + cause.getMessage());
                }
            });
        }

        static Object attribute(long pid, String attribute) throws Exception {
            return withBean(pid, (mbs, name) -> mbs.getAttribute(name, attribute));
        }

        interface Call {
            Object on(MBeanServerConnection mbs, ObjectName name) throws Exception;
        }

        static Object withBean(long pid, Call call) throws Exception {
            VirtualMachine vm;
            try {
                vm = VirtualMachine.attach(Long.toString(pid));
            } catch (AttachNotSupportedException | IOException | SecurityException e) {
                throw new Failure(UNREACHABLE, "cannot attach to JVM " + pid + ": " + e.getMessage());
            }
            try {
                String address = vm.startLocalManagementAgent();
                try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                    MBeanServerConnection mbs = connector.getMBeanServerConnection();
                    ObjectName name = new ObjectName(KillSwitchControl.OBJECT_NAME);
                    if (!mbs.isRegistered(name)) {
                        throw new Failure(NO_AGENT, "JVM " + pid + " does not run the AgentMesh agent (no "
                                + KillSwitchControl.OBJECT_NAME + " MBean)");
                    }
                    return call.on(mbs, name);
                } catch (InstanceNotFoundException e) {
                    throw new Failure(NO_AGENT, "JVM " + pid + " does not run the AgentMesh agent");
                }
            } finally {
                vm.detach();
            }
        }
    }
}
