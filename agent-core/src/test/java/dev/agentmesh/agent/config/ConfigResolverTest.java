package dev.agentmesh.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ConfigResolver} over injected lookups: agent arguments win over system properties, which win over the
 * environment; malformed options fail with one line naming the option.
 */
class ConfigResolverTest {

    /** A lookup over a map that records every name it was asked for. */
    private static final class Lookup implements UnaryOperator<String> {
        final Map<String, String> values = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        Lookup with(String name, String value) {
            values.put(name, value);
            return this;
        }

        @Override
        public String apply(String name) {
            asked.add(name);
            return values.get(name);
        }
    }

    private static AgentConfig resolve(String args, Lookup props, Lookup env) {
        return new ConfigResolver(args, props, env).resolve();
    }

    private static AgentConfig resolve(String args) {
        return resolve(args, new Lookup(), new Lookup());
    }

    private static ConfigException failure(String args, Lookup props, Lookup env) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> resolve(args, props, env));
        assertThat(t).as("resolving %s", args).isInstanceOf(ConfigException.class);
        assertThat(t.getMessage()).as("one line").doesNotContain("\n").doesNotContain("\r").isNotBlank();
        return (ConfigException) t;
    }

    private static ConfigException failure(String args) {
        return failure(args, new Lookup(), new Lookup());
    }

    // ---- blank values and sources ----

    @Test
    void anEmptyAgentArgumentIsAnErrorRatherThanSilentlyHidingLowerSources() {
        ConfigException e = failure("policy=", new Lookup(), new Lookup().with("AGENTMESH_POLICY", "p.yaml"));
        assertThat(e.getMessage()).isEqualTo("agent option 'policy' has no value");
    }

    @Test
    void aBlankSystemPropertyFallsThroughToTheEnvironment() {
        AgentConfig c = resolve(null, new Lookup().with("agentmesh.policy", "  "),
                new Lookup().with("AGENTMESH_POLICY", "from-env.yaml"));
        assertThat(c.policy()).isEqualTo(Paths.get("from-env.yaml"));
    }

    @Test
    void aPolicyThatIsNotAPathIsAnOptionError() {
        ConfigException e = failure("policy=a\u0000b");
        assertThat(e.getMessage()).startsWith("option policy (from the -javaagent argument): not a path");
    }

    @Test
    void errorsSayWhereTheBadValueCameFrom() {
        assertThat(failure(null, new Lookup().with("agentmesh.deny.stacktrace", "yes"), new Lookup()).getMessage())
                .isEqualTo("option deny.stacktrace (from system property agentmesh.deny.stacktrace): "
                        + "expected true or false, got yes");
        assertThat(failure(null, new Lookup(), new Lookup().with("AGENTMESH_AUDIT_OPEN_TIMEOUT_MS", "0"))
                .getMessage()).isEqualTo("option audit.open.timeout.ms (from environment variable "
                        + "AGENTMESH_AUDIT_OPEN_TIMEOUT_MS): not a positive number: 0");
    }

    @Test
    void theRollCycleIsAnOptionCheckedAtStartUp() {
        assertThat(resolve(null).auditRoll()).isEqualTo("daily");
        assertThat(resolve("audit.roll=hourly").auditRoll()).isEqualTo("hourly");
        assertThat(failure("audit.roll=fortnightly").getMessage())
                .startsWith("option audit.roll (from the -javaagent argument): unknown roll cycle 'fortnightly'");
    }

    @Test
    void checkpointOptionsAreReadAndChecked() {
        AgentConfig c = resolve("checkpoint.key=k.pem,checkpoint.key.name=ops,checkpoint.anchor=/var/a.note,"
                + "checkpoint.every=500,checkpoint.interval.ms=2000");
        assertThat(c.checkpoints().keyFile()).isEqualTo(Paths.get("k.pem"));
        assertThat(c.checkpoints().keyName()).isEqualTo("ops");
        assertThat(c.checkpoints().anchor()).isEqualTo(Paths.get("/var/a.note"));
        assertThat(c.checkpoints().everyRecords()).isEqualTo(500);
        assertThat(c.checkpoints().intervalMillis()).isEqualTo(2000);
        assertThat(resolve(null).checkpoints().keyFile()).as("no key, no checkpoints").isNull();
        assertThat(failure("checkpoint.every=0").getMessage()).contains("checkpoint.every").contains("positive");
    }

    @Test
    void testModeIsOffByDefaultAndCannotSignCheckpoints() {
        assertThat(resolve(null).testing()).isFalse();
        assertThat(resolve("testing=true").testing()).isTrue();
        assertThat(failure("testing=true,checkpoint.key=k.pem").getMessage())
                .startsWith("option testing (from the -javaagent argument): test mode moves the trail")
                .contains("drop checkpoint.key or testing");
    }

    // ---- defaults ----

    @Test
    void withNothingSetTheDefaultsApply() {
        Lookup props = new Lookup();
        Lookup env = new Lookup();

        AgentConfig config = resolve(null, props, env);

        assertThat(config.policy()).as("no policy: built-in defaults").isNull();
        assertThat(config.auditDir()).isEqualTo(Paths.get("agentmesh-audit")).isEqualTo(AgentConfig.DEFAULT_AUDIT_DIR);
        assertThat(config.denyStackTrace()).isFalse();
        assertThat(config.auditOpenTimeoutMillis()).isEqualTo(60_000);
        // every option was looked up under its documented names
        assertThat(props.asked).containsExactlyInAnyOrder("agentmesh.policy", "agentmesh.audit.dir",
                "agentmesh.deny.stacktrace", "agentmesh.audit.open.timeout.ms", "agentmesh.audit.roll",
                "agentmesh.checkpoint.key", "agentmesh.checkpoint.key.name", "agentmesh.checkpoint.anchor",
                "agentmesh.checkpoint.every", "agentmesh.checkpoint.interval.ms", "agentmesh.testing");
        assertThat(env.asked).containsExactlyInAnyOrder("AGENTMESH_POLICY", "AGENTMESH_AUDIT_DIR",
                "AGENTMESH_DENY_STACKTRACE", "AGENTMESH_AUDIT_OPEN_TIMEOUT_MS", "AGENTMESH_AUDIT_ROLL",
                "AGENTMESH_CHECKPOINT_KEY", "AGENTMESH_CHECKPOINT_KEY_NAME", "AGENTMESH_CHECKPOINT_ANCHOR",
                "AGENTMESH_CHECKPOINT_EVERY", "AGENTMESH_CHECKPOINT_INTERVAL_MS", "AGENTMESH_TESTING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankAgentArgumentsAreTheSameAsNone(String args) {
        AgentConfig config = resolve(args);
        assertThat(config.policy()).isNull();
        assertThat(config.auditDir()).isEqualTo(AgentConfig.DEFAULT_AUDIT_DIR);
    }

    // ---- parsing agent arguments ----

    @Test
    void parsesCommaSeparatedNameValuePairs() {
        AgentConfig config = resolve("policy=a,audit.dir=b");

        assertThat(config.policy()).isEqualTo(Paths.get("a"));
        assertThat(config.auditDir()).isEqualTo(Paths.get("b"));
        assertThat(config.denyStackTrace()).isFalse();
    }

    @Test
    void parsesEveryOptionAndTrimsAroundNamesAndValues() {
        AgentConfig config = resolve(" policy = p.yaml , audit.dir=/var/audit,deny.stacktrace= TRUE ,"
                + "audit.open.timeout.ms= 250 ");

        assertThat(config.policy()).isEqualTo(Paths.get("p.yaml"));
        assertThat(config.auditDir()).isEqualTo(Paths.get("/var/audit"));
        assertThat(config.denyStackTrace()).isTrue();
        assertThat(config.auditOpenTimeoutMillis()).isEqualTo(250);
    }

    @Test
    void aValueMayContainAnEqualsSign() {
        assertThat(resolve("policy=a=b.yaml").policy()).isEqualTo(Paths.get("a=b.yaml"));
    }

    @Test
    void unknownOptionIsRejectedNamingItAndTheKnownOnes() {
        ConfigException e = failure("policy=a,audit.dri=b");

        assertThat(e.getMessage()).contains("'audit.dri'").contains("unknown")
                .contains("policy", "audit.dir", "deny.stacktrace", "audit.open.timeout.ms");
    }

    @Test
    void unknownOptionIsRejectedEvenIfItWouldOtherwiseBeHarmless() {
        // a typo must never silently leave the default in force, whatever the other sources say
        Lookup props = new Lookup().with("agentmesh.policy", "p.yaml");
        assertThat(failure("Policy=p.yaml", props, new Lookup()).getMessage()).contains("'Policy'");
    }

    @Test
    void duplicateOptionIsRejectedNamingIt() {
        ConfigException e = failure("audit.dir=a,policy=p,audit.dir=b");

        assertThat(e.getMessage()).contains("'audit.dir'").contains("twice");
    }

    @Test
    void duplicateIsDetectedAfterTrimming() {
        assertThat(failure("policy=a, policy =b").getMessage()).contains("'policy'").contains("twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"policy", "policy=a,audit.dir", "=b", "policy=a,,audit.dir=b"})
    void anOptionWithoutNameEqualsValueIsRejectedQuotingIt(String args) {
        ConfigException e = failure(args);

        assertThat(e.getMessage()).contains("not of the form name=value");
        String[] parts = args.split(",");
        // the message quotes the first offending part
        for (String part : parts) {
            if (part.indexOf('=') <= 0) {
                assertThat(e.getMessage()).contains("'" + part + "'");
                break;
            }
        }
    }

    // ---- value checks ----

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "TRUE,true", "False,false", "' true ',true"})
    void denyStackTraceAcceptsTrueOrFalseInAnyCase(String value, boolean expected) {
        Lookup props = new Lookup().with("agentmesh.deny.stacktrace", value);
        assertThat(resolve(null, props, new Lookup()).denyStackTrace()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "tru"})
    void badBooleanForDenyStackTraceIsRejectedNamingTheOption(String value) {
        ConfigException e = failure("deny.stacktrace=" + value);

        assertThat(e.getMessage()).contains("deny.stacktrace").contains(value).contains("true or false");
    }

    @Test
    void badBooleanFromTheEnvironmentIsRejectedToo() {
        Lookup env = new Lookup().with("AGENTMESH_DENY_STACKTRACE", "maybe");
        assertThat(failure(null, new Lookup(), env).getMessage()).contains("deny.stacktrace").contains("maybe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "abc", "1.5", "99999999999999999999", "10ms"})
    void badOrNonPositiveTimeoutIsRejectedNamingTheOption(String value) {
        ConfigException e = failure("audit.open.timeout.ms=" + value);

        assertThat(e.getMessage()).contains("audit.open.timeout.ms").contains(value).contains("positive");
    }

    @Test
    void badTimeoutFromASystemPropertyIsRejectedToo() {
        Lookup props = new Lookup().with("agentmesh.audit.open.timeout.ms", "0");
        assertThat(failure(null, props, new Lookup()).getMessage()).contains("audit.open.timeout.ms");
    }

    @Test
    void auditDirThatIsNotAPathIsRejectedNamingTheOption() {
        Lookup props = new Lookup().with("agentmesh.audit.dir", "bad\0dir");
        assertThat(failure(null, props, new Lookup()).getMessage()).contains("audit.dir").contains("not a path");
    }

    // ---- precedence ----

    @Test
    void agentArgumentsWinOverSystemPropertiesAndEnvironment() {
        Lookup props = new Lookup().with("agentmesh.policy", "props.yaml").with("agentmesh.audit.dir", "props-dir")
                .with("agentmesh.deny.stacktrace", "false").with("agentmesh.audit.open.timeout.ms", "2");
        Lookup env = new Lookup().with("AGENTMESH_POLICY", "env.yaml").with("AGENTMESH_AUDIT_DIR", "env-dir")
                .with("AGENTMESH_DENY_STACKTRACE", "false").with("AGENTMESH_AUDIT_OPEN_TIMEOUT_MS", "3");

        AgentConfig config = resolve("policy=args.yaml,audit.dir=args-dir,deny.stacktrace=true,"
                + "audit.open.timeout.ms=1", props, env);

        assertThat(config.policy()).isEqualTo(Paths.get("args.yaml"));
        assertThat(config.auditDir()).isEqualTo(Paths.get("args-dir"));
        assertThat(config.denyStackTrace()).isTrue();
        assertThat(config.auditOpenTimeoutMillis()).isEqualTo(1);
    }

    @Test
    void systemPropertiesWinOverEnvironment() {
        Lookup props = new Lookup().with("agentmesh.policy", "props.yaml").with("agentmesh.audit.dir", "props-dir")
                .with("agentmesh.deny.stacktrace", "true").with("agentmesh.audit.open.timeout.ms", "2");
        Lookup env = new Lookup().with("AGENTMESH_POLICY", "env.yaml").with("AGENTMESH_AUDIT_DIR", "env-dir")
                .with("AGENTMESH_DENY_STACKTRACE", "false").with("AGENTMESH_AUDIT_OPEN_TIMEOUT_MS", "3");

        AgentConfig config = resolve(null, props, env);

        assertThat(config.policy()).isEqualTo(Paths.get("props.yaml"));
        assertThat(config.auditDir()).isEqualTo(Paths.get("props-dir"));
        assertThat(config.denyStackTrace()).isTrue();
        assertThat(config.auditOpenTimeoutMillis()).isEqualTo(2);
    }

    @Test
    void environmentIsUsedWhenNothingElseSetsTheOption() {
        Lookup env = new Lookup().with("AGENTMESH_POLICY", "env.yaml").with("AGENTMESH_AUDIT_DIR", "env-dir")
                .with("AGENTMESH_DENY_STACKTRACE", "true").with("AGENTMESH_AUDIT_OPEN_TIMEOUT_MS", "3");

        AgentConfig config = resolve(null, new Lookup(), env);

        assertThat(config.policy()).isEqualTo(Paths.get("env.yaml"));
        assertThat(config.auditDir()).isEqualTo(Paths.get("env-dir"));
        assertThat(config.denyStackTrace()).isTrue();
        assertThat(config.auditOpenTimeoutMillis()).isEqualTo(3);
    }

    @Test
    void precedenceIsDecidedPerOption() {
        Lookup props = new Lookup().with("agentmesh.audit.dir", "props-dir");
        Lookup env = new Lookup().with("AGENTMESH_AUDIT_DIR", "env-dir").with("AGENTMESH_DENY_STACKTRACE", "true");

        AgentConfig config = resolve("policy=args.yaml", props, env);

        assertThat(config.policy()).isEqualTo(Paths.get("args.yaml"));
        assertThat(config.auditDir()).isEqualTo(Paths.get("props-dir"));
        assertThat(config.denyStackTrace()).isTrue();
    }

    @Test
    void lowerSourcesAreNotConsultedForAnOptionTheArgumentsSet() {
        // a bad value lower down is never even read when a higher source sets the option
        Lookup props = new Lookup().with("agentmesh.deny.stacktrace", "garbage");
        Lookup env = new Lookup().with("AGENTMESH_DENY_STACKTRACE", "garbage");

        assertThat(resolve("deny.stacktrace=true", props, env).denyStackTrace()).isTrue();
        assertThat(props.asked).doesNotContain("agentmesh.deny.stacktrace");
        assertThat(env.asked).doesNotContain("AGENTMESH_DENY_STACKTRACE");
    }

    @Test
    void blankValuesFromPropertiesOrEnvironmentLeaveTheDefault() {
        Lookup props = new Lookup().with("agentmesh.policy", "  ");
        Lookup env = new Lookup().with("AGENTMESH_AUDIT_DIR", "");

        AgentConfig config = resolve(null, props, env);

        assertThat(config.policy()).isNull();
        assertThat(config.auditDir()).isEqualTo(AgentConfig.DEFAULT_AUDIT_DIR);
    }

    @Test
    void forThisJvmReadsRealSystemProperties() {
        String key = "agentmesh.audit.open.timeout.ms";
        String previous = System.getProperty(key);
        System.setProperty(key, "4321");
        try {
            assertThat(ConfigResolver.forThisJvm(null).resolve().auditOpenTimeoutMillis()).isEqualTo(4321);
            assertThat(ConfigResolver.forThisJvm("audit.open.timeout.ms=7").resolve().auditOpenTimeoutMillis())
                    .isEqualTo(7);
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }
}
