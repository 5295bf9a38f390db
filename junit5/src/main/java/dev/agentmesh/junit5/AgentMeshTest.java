package dev.agentmesh.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class under the AgentMesh agent: each test gets a trail of its own, and may take an
 * {@link AuditRecords} parameter to assert on what it recorded.
 *
 * <pre>{@code
 * @AgentMeshTest
 * class DeskToolsTest {
 *     @Test
 *     void researchersMaySearchButNotWrite(AuditRecords trail) throws Exception {
 *         AgentContext.runAs("researcher-1", () -> tools.webSearch("agents"));
 *         assertThrows(RingViolationException.class,
 *                 () -> AgentContext.runAs("researcher-1", () -> tools.writeFile("a.md", "x")));
 *         trail.assertAllowed("researcher-1", "webSearch");
 *         trail.assertDenied("researcher-1", "writeFile");
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AgentMeshExtension.class)
public @interface AgentMeshTest {
}
