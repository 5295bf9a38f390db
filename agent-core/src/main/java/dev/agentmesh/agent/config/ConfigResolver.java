package dev.agentmesh.agent.config;

import dev.agentmesh.audit.format.TrailQueue;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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

    /** How often a new trail rolls to a new cycle file: {@code daily} (default), {@code hourly}, .... */
    public static final String AUDIT_ROLL = "audit.roll";

    /** The Ed25519 private key (PKCS#8 PEM) that signs checkpoints; none means no checkpoints. */
    public static final String CHECKPOINT_KEY = "checkpoint.key";
    /** The key's name in checkpoint signature lines. */
    public static final String CHECKPOINT_KEY_NAME = "checkpoint.key.name";
    /** A file outside the audit directory that every checkpoint is copied to. */
    public static final String CHECKPOINT_ANCHOR = "checkpoint.anchor";
    /** A checkpoint every this many records. */
    public static final String CHECKPOINT_EVERY = "checkpoint.every";
    /** A checkpoint this often, in milliseconds, while records arrive. */
    public static final String CHECKPOINT_INTERVAL = "checkpoint.interval.ms";

    /**
     * Test mode, for the JUnit extension: each test may move the trail to a directory of its own. Never for
     * production: any code in the JVM could then move the trail.
     */
    public static final String TESTING = "testing";

    private static final String[] OPTIONS = {POLICY, AUDIT_DIR, DENY_STACKTRACE, AUDIT_OPEN_TIMEOUT, AUDIT_ROLL,
        CHECKPOINT_KEY, CHECKPOINT_KEY_NAME, CHECKPOINT_ANCHOR, CHECKPOINT_EVERY, CHECKPOINT_INTERVAL, TESTING};

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
        Setting policy = lookup(POLICY);
        if (policy != null) {
            b.policy(policy.path());
        }
        Setting dir = lookup(AUDIT_DIR);
        if (dir != null) {
            b.auditDir(dir.path());
        }
        Setting stack = lookup(DENY_STACKTRACE);
        if (stack != null) {
            b.denyStackTrace(stack.bool());
        }
        Setting testing = lookup(TESTING);
        if (testing != null) {
            b.testing(testing.bool());
        }
        Setting timeout = lookup(AUDIT_OPEN_TIMEOUT);
        if (timeout != null) {
            b.auditOpenTimeoutMillis(timeout.positiveLong());
        }
        Setting roll = lookup(AUDIT_ROLL);
        if (roll != null) {
            b.auditRoll(roll.rollCycle());
        }
        Setting key = lookup(CHECKPOINT_KEY);
        if (key != null) {
            b.checkpoints().keyFile(key.path());
        }
        Setting keyName = lookup(CHECKPOINT_KEY_NAME);
        if (keyName != null) {
            b.checkpoints().keyName(keyName.value().trim());
        }
        Setting anchor = lookup(CHECKPOINT_ANCHOR);
        if (anchor != null) {
            b.checkpoints().anchor(anchor.path());
        }
        Setting every = lookup(CHECKPOINT_EVERY);
        if (every != null) {
            b.checkpoints().everyRecords(every.positiveLong());
        }
        Setting interval = lookup(CHECKPOINT_INTERVAL);
        if (interval != null) {
            b.checkpoints().intervalMillis(interval.positiveLong());
        }
        if (testing != null && testing.bool() && key != null) {
            throw testing.fail("test mode moves the trail from test to test, so it cannot sign checkpoints of one "
                    + "trail; drop " + CHECKPOINT_KEY + " or " + TESTING);
        }
        return b.build();
    }

    /** The first source that sets the option; a blank value counts as not set, so it never hides a lower one. */
    private Setting lookup(String option) {
        String v = args.get(option);
        if (v != null) {
            return new Setting(option, v, "the -javaagent argument");
        }
        String property = "agentmesh." + option;
        v = systemProperties.apply(property);
        if (v != null && !v.isBlank()) {
            return new Setting(option, v, "system property " + property);
        }
        String variable = "AGENTMESH_" + option.replace('.', '_').toUpperCase(Locale.ROOT);
        v = environment.apply(variable);
        if (v != null && !v.isBlank()) {
            return new Setting(option, v, "environment variable " + variable);
        }
        return null;
    }

    /** An option's value and where it came from, so an error can say both. */
    private record Setting(String option, String value, String source) {

        Path path() {
            try {
                return Paths.get(value);
            } catch (InvalidPathException e) {
                throw fail("not a path: " + value);
            }
        }

        boolean bool() {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw fail("expected true or false, got " + value);
            }
        }

        long positiveLong() {
            try {
                long v = Long.parseLong(value.trim());
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw fail("not a positive number: " + value);
        }

        String rollCycle() {
            try {
                TrailQueue.rollCycleNamed(value);
                return value.trim();
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        ConfigException fail(String problem) {
            return new ConfigException("option " + option + " (from " + source + "): " + problem);
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
            String value = part.substring(eq + 1).trim();
            if (value.isEmpty()) {
                throw new ConfigException("agent option '" + name + "' has no value");
            }
            if (out.put(name, value) != null) {
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
