package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --pubkey F [--key-name N]}, shared by every command that checks checkpoint signatures, so they name,
 * describe and read the key the same way.
 */
final class KeyOptions {

    @Option(names = "--pubkey", paramLabel = "<file>",
            description = "Public key that must have signed the checkpoints: PEM (with --key-name) or a vkey file.")
    private Path pubkey;

    @Option(names = "--key-name", paramLabel = "<name>",
            description = "The key's name in the signature lines. Default: agentmesh for a PEM --pubkey; a vkey "
                    + "names itself (and must have this name if it is given).")
    private String keyName;

    /** @return whether {@code --pubkey} or {@code --key-name} was given, for commands that take them only sometimes */
    boolean given() {
        return pubkey != null || keyName != null;
    }

    /**
     * @return the key, or {@code null} if no {@code --pubkey} was given
     * @throws Verdict exit 3 if the key file is unusable
     */
    CheckpointVerifierKey key() throws Verdict {
        return CheckpointFiles.key(pubkey, keyName);
    }
}
