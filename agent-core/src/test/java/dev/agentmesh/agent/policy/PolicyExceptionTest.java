package dev.agentmesh.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyExceptionTest {

    @Test
    void messageNamesFileLineAndProblem() {
        PolicyException e = new PolicyException("conf/policy.yaml", 7, "ring of agent 'a' must be ...");

        assertThat(e.getMessage()).isEqualTo("conf/policy.yaml:7: ring of agent 'a' must be ...");
        assertThat(e.file()).isEqualTo("conf/policy.yaml");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.problem()).isEqualTo("ring of agent 'a' must be ...");
    }

    @Test
    void lineZeroIsLeftOut() {
        assertThat(new PolicyException("p.yaml", 0, "policy file is empty").getMessage())
                .isEqualTo("p.yaml: policy file is empty");
    }

    @Test
    void lineBreaksInTheProblemAreFlattened() {
        PolicyException e = new PolicyException("p.yaml", 2, "while scanning\n in p.yaml, line 2:\r\n    ^\n");

        assertThat(e.problem()).isEqualTo("while scanning in p.yaml, line 2: ^");
        assertThat(e.getMessage()).isEqualTo("p.yaml:2: while scanning in p.yaml, line 2: ^");
    }

    @Test
    void keepsTheCauseOutOfTheMessage() {
        Exception cause = new java.io.IOException("disk\non fire");

        PolicyException e = new PolicyException("p.yaml", 0, "cannot read policy file: disk", cause);

        assertThat(e).hasCause(cause).hasMessage("p.yaml: cannot read policy file: disk");
    }

    @Test
    void rejectsANegativeLine() {
        assertThatThrownBy(() -> new PolicyException("p.yaml", -1, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
