package dev.agentmesh.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Session actions' names, encoded once per action and bounded. */
class ActionNamesTest {

    @Test
    void anActionIsEncodedOnceAndItsFieldsAreItsOwn() {
        ActionNames names = new ActionNames();
        ActionNames.Action search = names.of("tool_call", "web_search");
        assertThat(names.of("tool_call", "web_search")).isSameAs(search);
        assertThat(new String(search.typeUtf8, StandardCharsets.UTF_8)).isEqualTo("tool_call");
        assertThat(new String(search.nameUtf8, StandardCharsets.UTF_8)).isEqualTo("web_search");
        assertThat(search.displayName).isEqualTo("tool_call:web_search");
        assertThat(names.of("tool_call", "delete").displayName).isEqualTo("tool_call:delete");
        assertThat(names.of("vfs", "web_search").displayName).isEqualTo("vfs:web_search");
    }

    @Test
    void pastItsBoundActionsAreStillRightJustNotKept() {
        ActionNames names = new ActionNames();
        for (int i = 0; i < ActionNames.MAX_CACHED; i++) {
            names.of("t", "a" + i);
        }
        ActionNames.Action late = names.of("t", "late-é");
        assertThat(late.displayName).isEqualTo("t:late-é");
        assertThat(new String(late.nameUtf8, StandardCharsets.UTF_8)).isEqualTo("late-é");
        assertThat(names.of("t", "late-é")).isNotSameAs(late);
        assertThat(names.of("t", "a0")).isSameAs(names.of("t", "a0"));
    }
}
