package dev.agentmesh.agent.config;

/** An agent option is malformed. The message is one line a person can act on. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where it came from */
    public ConfigException(String message) {
        super(message);
    }
}
