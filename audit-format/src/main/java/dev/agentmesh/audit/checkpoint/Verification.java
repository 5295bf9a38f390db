package dev.agentmesh.audit.checkpoint;

/** What a signed note says about one trusted key. */
public enum Verification {

    /** At least one signature line names the key (its name and key ID), and every such line verifies. */
    VERIFIED,

    /**
     * No signature line names the key. Lines by other keys, including lines that share only the name or only the
     * key ID, are ignored, as signed-note requires.
     */
    NO_SIGNATURE_BY_KEY,

    /** A signature line names the key, but its signature does not verify: the note or the line was altered. */
    INVALID_SIGNATURE;

    /**
     * @param key the key the note was checked against
     * @return one line saying what this outcome means for that key
     */
    public String describe(CheckpointVerifierKey key) {
        String who = "key " + key.name() + " (key ID " + key.keyIdHex() + ")";
        switch (this) {
            case VERIFIED:
                return "signature by " + who + " verifies";
            case NO_SIGNATURE_BY_KEY:
                return "no signature by " + who;
            default:
                return "the signature by " + who + " does not verify: the note was altered";
        }
    }
}
