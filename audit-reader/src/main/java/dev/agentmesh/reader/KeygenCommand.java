package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keygen --private F --public F [--name N]}: makes an Ed25519 key pair for signing checkpoints, as PEM files
 * (the same formats {@code openssl genpkey -algorithm ed25519} writes). The agent signs with the private key
 * ({@code checkpoint.key}); auditors verify with the public one ({@code verify --pubkey}). It never overwrites.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make an Ed25519 key pair for signing checkpoints (PEM files).")
public final class KeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--private", required = true, paramLabel = "<file>", description = "Where the private key goes.")
    private Path privateKey;

    @Option(names = "--public", required = true, paramLabel = "<file>", description = "Where the public key goes.")
    private Path publicKey;

    @Option(names = "--name", defaultValue = "agentmesh", paramLabel = "<name>",
            description = "The key's name in signature lines. Default: agentmesh.")
    private String name;

    @Override
    public Integer call() throws Exception {
        for (Path p : new Path[] {privateKey, publicKey}) {
            if (Files.exists(p)) {
                throw new Verdict(ExitCodes.UNREADABLE, p + " exists already; keygen never overwrites a key");
            }
        }
        for (Path p : new Path[] {privateKey, publicKey}) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        CheckpointSigner signer = KeyFiles.generate(privateKey, publicKey, name);
        spec.commandLine().getOut().println("key '" + signer.name() + "': private " + privateKey + ", public "
                + publicKey);
        return ExitCodes.OK;
    }
}
