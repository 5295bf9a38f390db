package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.it.apps.ArityApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Methods of every arity are governed, and each ALLOW carries its arguments' digest: up to three parameters the
 * advice passes them one by one (no array per call), beyond that as one array, and the trail cannot tell the two
 * apart. Also: an argument whose {@code hashCode()} makes a governed call while its own call is being digested
 * leaves both calls' digests right.
 */
class ArityIT {

    @Test
    void everyArityIsGovernedWithItsArgumentsDigest(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(ArityApp.class)
                .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("BODIES 11");

        List<Map<String, String>> allowed = Trails.export(audit).stream()
                .filter(r -> r.get("type").equals("ALLOW"))
                .collect(Collectors.toList());
        assertThat(allowed).extracting(r -> r.get("method")).containsExactly("none", "one", "onePrimitive", "two",
                "three", "four", "five", "staticTwo", "varargs", "pair", "pair");
        assertThat(allowed).extracting(r -> r.get("argsDigest")).containsExactly(
                digest(),
                digest("query"),
                digest(1234567L),
                digest("a", 300),
                digest(null, 2.5d, 'x'),
                digest("w", true, (byte) 7, (short) 8),
                digest(1, 2L, 3f, "four", new int[] {5}),
                digest("s", 42),
                digest((Object) new String[] {"v1", "v2"}),
                digest("inner", "x"),
                digest(new ArityApp.Reentrant(new ArityApp.Tools()), "second"));
    }

    private static String digest(Object... args) {
        return Hex.of(new ArgumentDigest().digest(args));
    }
}
