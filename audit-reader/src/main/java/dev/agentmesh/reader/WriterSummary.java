package dev.agentmesh.reader;

/**
 * One writer's stream on a fleet's topic once it has verified ({@link TopicVerification}): what {@code verify --kafka}
 * prints for it and {@code report --kafka} lists, as {@link Trail.Summary} is for one trail directory.
 *
 * @param id the writer: its trail key on the topic
 * @param records records verified
 * @param headHash chain hash of its last record
 * @param denials how many of them are DENY records
 * @param root the Merkle root of the whole stream
 * @param checkpointSize the size of its newest checkpoint, which the stream matched; -1 if it has none
 * @param signed whether that checkpoint's signature was verified against a key ({@code --pubkey})
 * @param clock where the writer's clock went back; complete once the stream is read
 */
record WriterSummary(String id, long records, byte[] headHash, long denials, byte[] root, long checkpointSize,
        boolean signed, ClockSteps clock) {

    /** @return whether the stream was held against a checkpoint */
    boolean hasCheckpoint() {
        return checkpointSize >= 0;
    }

    /**
     * @return {@code at 40 signed and matching}, {@code at 40 matching} (no key to check the signature with), or
     *     {@code none}; in the words {@code verify} uses
     */
    String checkpoint() {
        if (!hasCheckpoint()) {
            return "none";
        }
        return "at " + checkpointSize + (signed ? " signed and matching" : " matching");
    }
}
