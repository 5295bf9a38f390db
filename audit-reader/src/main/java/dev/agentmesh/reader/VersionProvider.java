package dev.agentmesh.reader;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven filtered into {@code reader.properties} at build time. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("reader.properties")) {
            if (in == null) {
                throw new IOException("reader.properties is missing from the jar");
            }
            properties.load(in);
        }
        return new String[] {"agentmesh-audit-reader " + properties.getProperty("version")};
    }
}
