package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.MalformedRecordException;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify-proof <file> [--pubkey F [--key-name N]]}: checks an inclusion-proof file offline, with no trail:
 * the checkpoint's signature (with {@code --pubkey}), then that the record in the file hashes, through the proof, to
 * the checkpoint's root. Prints one line, the verdict, on stdout: {@code OK record N is in the trail of size S, root
 * R ...} and what the record says, or {@code TAMPERED: ...} (exit 1), or {@code SIGNATURE: ...} (exit 3). A file
 * that is not a proof is unreadable input (exit 4), reported on stderr with the line at fault.
 */
@Command(name = "verify-proof", mixinStandardHelpOptions = true,
        description = "Check an inclusion-proof file offline: the record, the proof hashes and the signed checkpoint.")
public final class VerifyProofCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "The proof file, as prove writes it.")
    private Path file;

    @Mixin
    private KeyOptions keyOptions;

    @Override
    public Integer call() throws Verdict, IOException {
        ProofFile proof = read();
        try {
            spec.commandLine().getOut().println(check(proof));
            return ExitCodes.OK;
        } catch (Verdict v) {
            // The verdict is this command's output, as for verify.
            spec.commandLine().getOut().println(v.getMessage());
            return v.exitCode();
        }
    }

    private ProofFile read() throws Verdict, IOException {
        if (!Files.isRegularFile(file)) {
            throw new Verdict(ExitCodes.UNREADABLE, "not a proof: " + file + ": "
                    + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        if (Files.size(file) > ProofFile.MAX_BYTES) {
            throw new Verdict(ExitCodes.UNREADABLE, "not a proof: " + file + ": " + Files.size(file)
                    + " bytes, more than a proof can be (" + ProofFile.MAX_BYTES + ")");
        }
        try {
            return ProofFile.parse(Files.readAllBytes(file));
        } catch (ProofFile.Malformed e) {
            throw new Verdict(ExitCodes.UNREADABLE, "not a proof: " + file + ":" + e.line() + ": " + e.getMessage());
        }
    }

    private String check(ProofFile proof) throws Verdict {
        CheckpointVerifierKey key = keyOptions.key();
        CheckpointFiles.requireSignature(proof.checkpoint(), key, "the checkpoint in " + file);
        Checkpoint checkpoint = proof.checkpoint().checkpoint();
        long index = proof.index();
        long size = checkpoint.size();
        if (index >= size) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the proof is for record " + index + ", but the "
                    + "checkpoint's tree has only " + size + " records");
        }
        int expected = MerkleVerifier.inclusionProofLength(index, size);
        if (proof.hashes().size() != expected) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the proof has " + proof.hashes().size()
                    + " hashes, but record " + index + " in a tree of " + size + " needs " + expected);
        }
        if (!MerkleVerifier.verifyInclusion(proof.leafHash(), index, size, proof.hashes(), checkpoint.rootHash())) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: record " + index + " is not in the checkpoint's tree: "
                    + "the record and the proof hashes do not lead to its root " + Hex.of(checkpoint.rootHash())
                    + " (the record, a proof hash, the index or the checkpoint was altered)");
        }
        AuditRecord record;
        try {
            record = AuditRecord.decode(proof.record(), 0, proof.record().length);
        } catch (MalformedRecordException e) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the leaf at " + index + " is not a well-formed record: "
                    + e.getMessage());
        }
        if (record.seq() != index) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: the record at " + index + " says it is record "
                    + record.seq());
        }
        return "OK record " + index + " is in the trail of size " + size + ", root " + Hex.of(checkpoint.rootHash())
                + " (" + CheckpointFiles.signatureNote(key, "checkpoint signature") + "): " + describe(record);
    }

    /**
     * @param r a record
     * @return a short sentence for a person: type, time, agent and method (and the agent framework, tool and
     *     invocation id of a framework's tool call, whom the agent acted for and who vouches for it, when any), what
     *     the record closes, or what happened to a session or a saga, or what a CONTROL record says was done
     */
    static String describe(AuditRecord r) {
        String head = r.type().label() + " at " + IsoTime.of(r.timeMillis()) + ": ";
        switch (r.type()) {
            case GENESIS:
                return head + "writer " + TextFormat.safe(r.writerId()) + " started with policy "
                        + TextFormat.safe(r.policySource()) + " (sha256 " + Hex.of(r.policyDigest()) + ")";
            case CALL_ALLOWED:
            case CALL_DENIED:
                return head + "agent " + TextFormat.safe(r.agentId()) + " (ring " + r.agentRing() + ") "
                        + (r.type() == RecordType.CALL_ALLOWED ? "called " : "was refused ")
                        + TextFormat.safe(r.className()) + "#" + TextFormat.safe(r.methodName())
                        + TextFormat.safe(r.descriptor()) + ", which needs ring " + r.requiredRing()
                        + TextFormat.via(r) + TextFormat.delegation(r) + inSession(r);
            case CALL_RETURNED:
                return head + "call " + r.callSeq() + " returned after " + TextFormat.millis(r) + inSession(r);
            case CALL_THREW:
                return head + "call " + r.callSeq() + " threw " + TextFormat.safe(r.exceptionClass()) + " after "
                        + TextFormat.millis(r) + inSession(r);
            case SESSION_EVENT:
                return head + TextFormat.session(r);
            case SAGA_EVENT:
                return head + TextFormat.saga(r) + inSession(r);
            case CONTROL:
                return head + TextFormat.control(r);
            default:
                throw new AssertionError(r.type());
        }
    }

    /** @return {@code ", session <id>"} for a call or outcome in a session, else empty */
    private static String inSession(AuditRecord r) {
        return r.sessionId().isEmpty() ? "" : ", session " + TextFormat.safe(r.sessionId());
    }
}
