package dev.agentmesh.agent.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Resolves the agent's options from three places. For each option the first that sets it wins:
 * <ol>
 *   <li>the agent arguments: {@code -javaagent:agentmesh-javaagent.jar=policy=p.yaml,audit.dir=/var/audit};</li>
 *   <li>system properties: {@code -Dagentmesh.policy=p.yaml};</li>
 *   <li>environment variables: {@code AGENTMESH_POLICY=p.yaml} (dots become underscores, upper case).</li>
 * </ol>
 * An unknown option in the agent arguments is an error, so a typo never silently leaves the default in force.
 */
public final class ConfigResolver {

    /** Option names, as written in agent arguments. */
    public static final String POLICY = "policy";
    /** The audit directory option. */
    public static final String AUDIT_DIR = "audit.dir";
    /** Whether denials carry stack traces. */
    public static final String DENY_STACKTRACE = "deny.stacktrace";
    /** How long calls wait for the trail to open, in milliseconds. */
    public static final String AUDIT_OPEN_TIMEOUT = "audit.open.timeout.ms";

    private static final String[] OPTIONS = {POLICY, AUDIT_DIR, DENY_STACKTRACE, AUDIT_OPEN_TIMEOUT};

    private final Map<String, String> args;
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;

    /**
     * @param agentArgs the {@code -javaagent} options, or {@code null}
     * @param systemProperties looks up a system property
     * @param environment looks up an environment variable
     */
    public ConfigResolver(String agentArgs, UnaryOperator<String> systemProperties,
            UnaryOperator<String> environment) {
        this.args = parseArgs(agentArgs);
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /**
     * @param agentArgs the {@code -javaagent} options, or {@code null}
     * @return a resolver over this JVM's system properties and environment
     */
    public static ConfigResolver forThisJvm(String agentArgs) {
        return new ConfigResolver(agentArgs, System::getProperty, System::getenv);
    }

    /**
     * @return the resolved config
     * @throws ConfigException naming the option and where it came from, if a value is malformed
     */
    public AgentConfig resolve() {
        AgentConfig.Builder b = AgentConfig.builder();
        String policy = lookup(POLICY);
        if (policy != null) {
            b.policy(Paths.get(policy));
        }
        String dir = lookup(AUDIT_DIR);
        if (dir != null) {
            try {
                b.auditDir(Paths.get(dir));
            } catch (InvalidPathException e) {
                throw new ConfigException("option " + AUDIT_DIR + ": not a path: " + dir);
            }
        }
        String stack = lookup(DENY_STACKTRACE);
        if (stack != null) {
            b.denyStackTrace(parseBoolean(DENY_STACKTRACE, stack));
        }
        String timeout = lookup(AUDIT_OPEN_TIMEOUT);
        if (timeout != null) {
            try {
                b.auditOpenTimeoutMillis(Long.parseLong(timeout.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("option " + AUDIT_OPEN_TIMEOUT + ": not a positive number: " + timeout);
            }
        }
        return b.build();
    }

    private String lookup(String option) {
        String v = args.get(option);
        if (v == null) {
            v = systemProperties.apply("agentmesh." + option);
        }
        if (v == null) {
            v = environment.apply("AGENTMESH_" + option.replace('.', '_').toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v;
    }

    private static boolean parseBoolean(String option, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigException("option " + option + ": expected true or false, got " + value);
        }
    }

    private static Map<String, String> parseArgs(String agentArgs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String part : agentArgs.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("agent option '" + part + "' is not of the form name=value");
            }
            String name = part.substring(0, eq).trim();
            if (!isKnown(name)) {
                throw new ConfigException("unknown agent option '" + name + "'; known options: "
                        + String.join(", ", OPTIONS));
            }
            if (out.put(name, part.substring(eq + 1).trim()) != null) {
                throw new ConfigException("agent option '" + name + "' is given twice");
            }
        }
        return out;
    }

    private static boolean isKnown(String name) {
        for (String option : OPTIONS) {
            if (option.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
