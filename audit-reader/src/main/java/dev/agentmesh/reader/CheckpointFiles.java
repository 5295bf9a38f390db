package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.CheckpointFileException;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.checkpoint.Verification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading signed checkpoints and the key that must have signed them, for {@code prove}, {@code verify-proof} and
 * {@code consistency}: a missing or garbled file is unreadable input (exit 4), a key that cannot be read or a
 * signature that does not verify is a signature problem (exit 3).
 */
final class CheckpointFiles {

    /** The largest checkpoint file read; signed-note caps a note at 1 MiB. */
    private static final long MAX_BYTES = 1 << 20;

    /** The key name of a PEM key when none is given: the agent's default {@code checkpoint.key.name}. */
    static final String DEFAULT_KEY_NAME = "agentmesh";

    private CheckpointFiles() {
    }

    private static boolean isPem(Path file) {
        try {
            return Files.size(file) < MAX_BYTES && Files.readString(file).contains("-----BEGIN ");
        } catch (IOException | RuntimeException e) {
            return false; // KeyFiles reports what is wrong with it
        }
    }

    /**
     * @param file a signed checkpoint note
     * @param what how messages name it, e.g. "the old checkpoint"
     * @return the parsed checkpoint, not yet verified
     * @throws Verdict ({@link ExitCodes#UNREADABLE}) if it is missing or not a signed checkpoint
     */
    static SignedCheckpoint read(Path file, String what) throws Verdict {
        if (!Files.isRegularFile(file)) {
            throw new Verdict(ExitCodes.UNREADABLE, what + " " + file + " is missing");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Verdict(ExitCodes.UNREADABLE, what + " " + file + " is larger than a signed note can be");
            }
            return SignedCheckpoint.parse(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new Verdict(ExitCodes.UNREADABLE, what + " " + file + " is not a readable signed checkpoint: "
                    + e.getMessage());
        }
    }

    /**
     * @param pubkey a PEM public key or a vkey file, or {@code null}
     * @param name the key name: a PEM key's, or the name a vkey must have; {@code null} for {@value
     *     #DEFAULT_KEY_NAME} with a PEM key and whatever name a vkey has
     * @return the key, or {@code null} if none was given
     * @throws Verdict ({@link ExitCodes#SIGNATURE}) if it cannot be read
     */
    static CheckpointVerifierKey key(Path pubkey, String name) throws Verdict {
        if (pubkey == null) {
            return null;
        }
        try {
            // A vkey names itself; a PEM key needs a name, and the agent's default is "agentmesh".
            return KeyFiles.readVerifierKey(pubkey, name == null && isPem(pubkey) ? DEFAULT_KEY_NAME : name);
        } catch (CheckpointFileException e) {
            throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: " + e.getMessage());
        }
    }

    /**
     * Requires a valid signature by {@code key}, if one was given.
     *
     * @param checkpoint the checkpoint
     * @param key the trusted key, or {@code null} to skip the check
     * @param what how the message names the checkpoint
     * @throws Verdict ({@link ExitCodes#SIGNATURE}) unless a signature by the key is there and every one verifies
     */
    static void requireSignature(SignedCheckpoint checkpoint, CheckpointVerifierKey key, String what)
            throws Verdict {
        if (key == null) {
            return;
        }
        Verification v = checkpoint.verification(key);
        if (v != Verification.VERIFIED) {
            throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: " + what + ": " + v.describe(key));
        }
    }

    /**
     * @param key the key the checkpoints were checked with, or {@code null}
     * @param subject what was checked, e.g. "checkpoint signature"
     * @return how an OK line says what was checked
     */
    static String signatureNote(CheckpointVerifierKey key, String subject) {
        return key == null ? subject + " not checked (no --pubkey)"
                : subject + " by key '" + key.name() + "' (key ID " + key.keyIdHex() + ") verified";
    }
}
