package dev.agentmesh.audit.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key files. Keys are Ed25519 in the PEM files OpenSSL writes, so keys made by
 *
 * <pre>
 * openssl genpkey -algorithm ed25519 -out checkpoint-key.pem
 * openssl pkey -in checkpoint-key.pem -pubout -out checkpoint-key.pub.pem
 * </pre>
 *
 * load as they are, and keys this class writes are byte for byte what OpenSSL would write:
 * <ul>
 * <li>private key: PEM {@code PRIVATE KEY} holding the 48-byte PKCS#8 (RFC 5958 v1, RFC 8410) encoding of the
 *     32-byte seed; unencrypted, so protect it with file permissions ({@link #generate} creates it readable by its
 *     owner only);
 * <li>public key: PEM {@code PUBLIC KEY} holding the 44-byte X.509 SubjectPublicKeyInfo (RFC 8410);
 * <li>verifier key: one line, the signed-note vkey {@code <name>+<key ID>+<base64(0x01 || key)>}, optionally
 *     followed by a newline.
 * </ul>
 *
 * PEM files do not carry the key name, so it is passed in; a vkey carries it. Every failure is a
 * {@link CheckpointFileException} whose message is one line naming the file and the problem.
 */
public final class KeyFiles {

    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final Pattern BEGIN = Pattern.compile("(?m)^-----BEGIN ([^\\n]*?)-----[ \\t]*$");

    private KeyFiles() {
    }

    /**
     * Generates a new key pair and writes both halves; neither file may exist yet. The private key file is created
     * readable and writable by its owner only, where the file system has POSIX permissions.
     *
     * @param privatePem where to write the private key
     * @param publicPem where to write the public key
     * @param name the key name
     * @return the signer
     * @throws CheckpointFileException if a file exists or cannot be written; then neither is left behind
     */
    public static CheckpointSigner generate(Path privatePem, Path publicPem, String name)
            throws CheckpointFileException {
        checkName(name);
        if (privatePem.toAbsolutePath().normalize().equals(publicPem.toAbsolutePath().normalize())) {
            throw new CheckpointFileException(publicPem, "the same file as the private key");
        }
        if (Files.exists(publicPem, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new CheckpointFileException(publicPem, "already exists; not overwriting a key");
        }
        CheckpointSigner signer = CheckpointSigner.generate(name);
        writePrivatePem(privatePem, signer);
        try {
            writePublicPem(publicPem, signer.verifierKey());
        } catch (CheckpointFileException e) {
            try {
                Files.deleteIfExists(privatePem);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return signer;
    }

    /**
     * Reads a private key.
     *
     * @param privatePem a PEM {@code PRIVATE KEY} file holding an unencrypted Ed25519 key
     * @param name the key name to sign under
     * @return the signer
     * @throws CheckpointFileException naming the file and the problem
     */
    public static CheckpointSigner readSigner(Path privatePem, String name) throws CheckpointFileException {
        checkName(name);
        byte[] der = pem(privatePem, PRIVATE_LABEL);
        PrivateKey key;
        try {
            key = Ed25519.keyFactory().generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new CheckpointFileException(privatePem, notEd25519(der, "private"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        try {
            return CheckpointSigner.of(name, key);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFileException(privatePem, e.getMessage());
        }
    }

    /**
     * Reads a public key.
     *
     * @param publicPem a PEM {@code PUBLIC KEY} file holding an Ed25519 key
     * @param name the key name its signatures are made under
     * @return the verifier key
     * @throws CheckpointFileException naming the file and the problem
     */
    public static CheckpointVerifierKey readPublicKey(Path publicPem, String name) throws CheckpointFileException {
        checkName(name);
        byte[] der = pem(publicPem, PUBLIC_LABEL);
        PublicKey key;
        try {
            key = Ed25519.keyFactory().generatePublic(new X509EncodedKeySpec(der));
            return CheckpointVerifierKey.of(name, key);
        } catch (InvalidKeySpecException | IllegalArgumentException e) {
            throw new CheckpointFileException(publicPem, notEd25519(der, "public"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /**
     * Reads a verifier key file: one signed-note vkey line.
     *
     * @param file the file
     * @return the verifier key
     * @throws CheckpointFileException naming the file and the problem
     */
    public static CheckpointVerifierKey readVkey(Path file) throws CheckpointFileException {
        String text = read(file);
        String line = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (line.isEmpty()) {
            throw new CheckpointFileException(file, "empty; expected a verifier key <name>+<key ID>+<base64 key>");
        }
        if (line.indexOf('\n') >= 0) {
            throw new CheckpointFileException(file, "more than one line; expected one verifier key");
        }
        try {
            return CheckpointVerifierKey.parse(line);
        } catch (CheckpointFormatException e) {
            throw new CheckpointFileException(file, e.getMessage());
        }
    }

    /**
     * Reads either kind of public key file: PEM {@code PUBLIC KEY} (named {@code name}) or a vkey line (whose name
     * must then be {@code name}, unless that is {@code null}).
     *
     * @param file the file
     * @param name the expected key name; required for PEM, checked for a vkey when not {@code null}
     * @return the verifier key
     * @throws CheckpointFileException naming the file and the problem
     */
    public static CheckpointVerifierKey readVerifierKey(Path file, String name) throws CheckpointFileException {
        if (read(file).contains("-----BEGIN ")) {
            if (name == null) {
                throw new CheckpointFileException(file, "a PEM key carries no key name, and none was given");
            }
            return readPublicKey(file, name);
        }
        CheckpointVerifierKey key = readVkey(file);
        if (name != null && !key.name().equals(name)) {
            throw new CheckpointFileException(file, "the verifier key is named " + NoteText.quote(key.name())
                    + ", expected " + NoteText.quote(name));
        }
        return key;
    }

    /**
     * @param signer the signer
     * @return its private key as PEM {@code PRIVATE KEY}, as {@code openssl genpkey -algorithm ed25519} writes it
     */
    public static String privatePem(CheckpointSigner signer) {
        byte[] seed = signer.seed();
        byte[] der = Ed25519.concat(Ed25519.PKCS8_PREFIX, seed);
        try {
            return pemText(PRIVATE_LABEL, der);
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * @param key the verifier key
     * @return its public key as PEM {@code PUBLIC KEY}, as {@code openssl pkey -pubout} writes it
     */
    public static String publicPem(CheckpointVerifierKey key) {
        return pemText(PUBLIC_LABEL, Ed25519.concat(Ed25519.SPKI_PREFIX, key.rawPublicKey()));
    }

    /**
     * Writes the private key to a new file, readable and writable by its owner only where the file system has
     * POSIX permissions.
     *
     * @param file the file, which must not exist
     * @param signer the signer
     * @throws CheckpointFileException if the file exists or cannot be written
     */
    public static void writePrivatePem(Path file, CheckpointSigner signer) throws CheckpointFileException {
        write(file, privatePem(signer), true);
    }

    /**
     * @param file the file, which must not exist
     * @param key the verifier key
     * @throws CheckpointFileException if the file exists or cannot be written
     */
    public static void writePublicPem(Path file, CheckpointVerifierKey key) throws CheckpointFileException {
        write(file, publicPem(key), false);
    }

    private static void write(Path file, String text, boolean secret) throws CheckpointFileException {
        try {
            if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CheckpointFileException(file, "already exists; not overwriting a key");
        } catch (NoSuchFileException e) {
            throw new CheckpointFileException(file, "its directory does not exist");
        } catch (AccessDeniedException e) {
            throw new CheckpointFileException(file, "permission denied");
        } catch (IOException e) {
            throw new CheckpointFileException(file, "cannot create: " + e, e);
        }
        try {
            Files.write(file, text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new CheckpointFileException(file, "cannot write: " + e, e);
        }
    }

    private static String pemText(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static String read(Path file) throws CheckpointFileException {
        byte[] bytes = readBytes(file, MAX_KEY_FILE_BYTES, "a key file");
        try {
            return NoteText.utf8(bytes, "key file");
        } catch (CheckpointFormatException e) {
            throw new CheckpointFileException(file, "not a text file (not valid UTF-8)");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Reads a small file, naming the file and the problem on failure. */
    static byte[] readBytes(Path file, int limit, String what) throws CheckpointFileException {
        try {
            if (Files.isDirectory(file)) {
                throw new CheckpointFileException(file, "is a directory, not " + what);
            }
            long size = Files.size(file);
            if (size > limit) {
                throw new CheckpointFileException(file, size + " bytes, too large for " + what);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointFileException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new CheckpointFileException(file, "permission denied");
        } catch (CheckpointFileException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointFileException(file, "cannot read: " + e, e);
        }
    }

    /** @return the DER inside the one PEM block with this label */
    private static byte[] pem(Path file, String label) throws CheckpointFileException {
        String text = read(file).replace("\r\n", "\n");
        List<String> labels = new ArrayList<>();
        Matcher begin = BEGIN.matcher(text);
        int start = -1;
        while (begin.find()) {
            labels.add(begin.group(1));
            if (begin.group(1).equals(label)) {
                if (start >= 0) {
                    throw new CheckpointFileException(file, "more than one " + label + " block");
                }
                start = begin.end();
            }
        }
        if (start < 0) {
            if (labels.isEmpty()) {
                throw new CheckpointFileException(file, "not a PEM file: no '-----BEGIN " + label + "-----' line");
            }
            if (label.equals(PRIVATE_LABEL) && labels.contains("ENCRYPTED PRIVATE KEY")) {
                throw new CheckpointFileException(file, "the private key is encrypted, which is not supported;"
                        + " decrypt it with: openssl pkey -in " + file.getFileName() + " -out <new file>");
            }
            throw new CheckpointFileException(file, "no " + label + " block; found " + String.join(", ", labels));
        }
        String end = "-----END " + label + "-----";
        int stop = text.indexOf(end, start);
        if (stop < 0) {
            throw new CheckpointFileException(file, "'-----BEGIN " + label + "-----' has no matching '" + end + "'");
        }
        String body = text.substring(start, stop);
        if (body.contains(":")) {
            throw new CheckpointFileException(file, "the " + label + " block has headers (a legacy encrypted key?),"
                    + " which are not supported");
        }
        try {
            byte[] der = Base64.getDecoder().decode(body.replaceAll("[ \\t\\n]", ""));
            if (der.length == 0) {
                throw new CheckpointFileException(file, "the " + label + " block is empty");
            }
            return der;
        } catch (IllegalArgumentException e) {
            throw new CheckpointFileException(file, "the " + label + " block is not valid base64");
        }
    }

    /** Names the algorithm of a key that is not Ed25519, from the OID in its DER encoding. */
    private static String notEd25519(byte[] der, String kind) {
        String hex = HexFormat.of().formatHex(der);
        String[][] known = {
            {"06032b6570", "an Ed25519 key that cannot be decoded"},
            {"06032b6571", "an Ed448 key"},
            {"06032b656e", "an X25519 key"},
            {"06032b656f", "an X448 key"},
            {"06092a864886f70d010101", "an RSA key"},
            {"06072a8648ce3d0201", "an EC (ECDSA) key"},
            {"06072a8648ce380401", "a DSA key"},
        };
        for (String[] k : known) {
            if (hex.contains(k[0])) {
                return "holds " + k[1] + ", expected an Ed25519 " + kind + " key";
            }
        }
        return "not an Ed25519 " + kind + " key (unrecognised encoding)";
    }

    private static void checkName(String name) {
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("key name " + NoteText.quote(String.valueOf(name)) + " " + problem);
        }
    }
}
