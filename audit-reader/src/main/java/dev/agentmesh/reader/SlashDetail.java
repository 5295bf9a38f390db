package dev.agentmesh.reader;

/**
 * What {@code report} reads from the detail of a SLASHED record, which the agent writes as
 * {@code points=<n> before=<n> after=<n> level=<k> chain=<offender<voucher<…>}. To the trail format the detail is
 * free text, so it is read leniently and never fails: it is split on spaces into {@code key=value} tokens, of which
 * {@code points}, {@code level} and {@code chain} are kept; unknown keys, tokens without {@code =} and repeated keys
 * (the last wins) are let be. A key that is missing, or whose value is not a whole number of 0 or more, is unknown.
 * The chain is the last token and holds no space.
 *
 * @param points trust points the agent lost, or -1 if the detail does not say
 * @param level 0 when the agent that lost them is the offender, {@code k} for a voucher {@code k} levels up; -1 if
 *     the detail does not say
 * @param chain the chain of attribution, offender first, joined by {@code <}, as {@code helper<lead<root}; empty if
 *     the detail does not say
 */
record SlashDetail(long points, int level, String chain) {

    /**
     * @param detail a SLASHED record's detail
     * @return what it says; whatever it does not say clearly is unknown
     */
    static SlashDetail parse(String detail) {
        long points = -1;
        long level = -1;
        String chain = "";
        for (String token : detail.split(" ")) {
            int eq = token.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = token.substring(eq + 1);
            switch (token.substring(0, eq)) {
                case "points":
                    points = count(value);
                    break;
                case "level":
                    level = count(value);
                    break;
                case "chain":
                    chain = value;
                    break;
                default:
                    // before=, after= and keys a later agent may add: not needed for the report.
                    break;
            }
        }
        return new SlashDetail(points, level > Integer.MAX_VALUE ? -1 : (int) level, chain);
    }

    /** @return the value as a whole number of 0 or more, or -1 if it is none */
    private static long count(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

    /** @return whether the detail said how many points were lost */
    boolean pointsKnown() {
        return points >= 0;
    }
}
