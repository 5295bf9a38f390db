package dev.agentmesh.agent.policy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads a {@link Policy} from a YAML policy file (format on {@link Policy}). Every mistake, from a missing
 * file to a ring out of range, is a {@link PolicyException} naming the file and, where there is one, the
 * line.
 */
public final class PolicyLoader {

    private PolicyLoader() {
    }

    /**
     * @param file the policy file; its path as given becomes {@link Policy#source()}
     * @return the policy, with the SHA-256 of the file's bytes as its digest
     * @throws PolicyException if the file cannot be read or is not a valid policy
     */
    public static Policy load(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException(source, 0, "cannot read policy file: " + reason(e), e);
        }
        return parse(source, bytes);
    }

    /**
     * @param source    names the file in messages, not blank; becomes {@link Policy#source()}
     * @param yamlBytes the file's raw bytes, UTF-8; not modified
     * @return the policy, with the SHA-256 of {@code yamlBytes} as its digest
     * @throws PolicyException if the bytes are not a valid policy
     */
    public static Policy parse(String source, byte[] yamlBytes) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(yamlBytes, "yamlBytes");
        if (source.isBlank()) {
            throw new IllegalArgumentException("source must name the policy file");
        }
        return PolicyTreeReader.read(source, YamlDocument.compose(source, yamlBytes))
                .source(source)
                .digest(Sha256.of(yamlBytes))
                .build();
    }

    private static String reason(IOException e) {
        // These two carry only the path as their message, which the exception already names.
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
