package dev.agentmesh.agent.weave;

import java.security.SecureRandom;

/**
 * Turns the small ids the weaver gives woven methods into tokens only woven code holds. The bootstrap bridges are
 * public, because woven code in every module must call them; a token is what tells a woven call from code that calls
 * a bridge itself to record a call that never ran. Each instance draws its own secret key per JVM, so a token is a
 * constant in woven bytecode and nowhere else: the application cannot read it by reflection, and it changes with
 * every run.
 *
 * <p>A token is {@code key ^ id}: one XOR and one range check per governed call. A guess passes only if it matches
 * the key's 64 bits everywhere but the few low bits that ids use.
 */
public final class SealedIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final long key = RANDOM.nextLong();

    /**
     * @param id an id, not negative
     * @return the token woven code presents for it
     */
    public long seal(int id) {
        return key ^ id;
    }

    /**
     * @param token what a caller presented
     * @param bound the ids given out so far run below this
     * @return the id {@code token} seals, or -1 if it is not a token of this key for an id below {@code bound}
     */
    public int open(long token, int bound) {
        long id = token ^ key;
        return id >= 0 && id < bound ? (int) id : -1;
    }
}
