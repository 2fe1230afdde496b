package org.switchboard.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Small integer ids for the header names the stack reads, so the parser can tag each header line without making
 * a String of its name. Id 0 is "any other name"; those lines are matched by comparing their bytes on lookup.
 * Wire names are recognised case-insensitively, compact forms included (RFC 3261 §7.3.3).
 */
final class HeaderIds {
    static final int OTHER = 0;

    /**
     * Canonical names (each a {@link HeaderName} constant's key), indexed by id (index 0 unused; ids must stay below 128, they are kept in 8 bits). The first
     * six have constants below. Names with the same first letter are tried in this order, so common ones go first.
     */
    private static final String[] NAMES = {"", "via", "from", "to", "call-id", "cseq", "content-length",
            "contact", "expires", "max-forwards", "route", "record-route", "content-type", "authorization",
            "www-authenticate", "proxy-authorization", "proxy-authenticate", "min-expires", "content-encoding", "subject", "supported", "refer-to", "referred-by", "event", "allow-events",
            "session-expires", "accept-contact", "reject-contact", "request-disposition", "identity",
            "identity-info", "allow", "require", "proxy-require", "user-agent", "server", "accept", "path",
            "service-route", "unsupported", "accept-encoding", "accept-language", "in-reply-to"};

    static final int VIA = 1;
    static final int FROM = 2;
    static final int TO = 3;
    static final int CALL_ID = 4;
    static final int CSEQ = 5;
    static final int CONTENT_LENGTH = 6;

    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
    /**
     * Each name as little-endian 8-byte words, with the bit that folds ASCII case set in each letter's position
     * of CASE: a wire word OR-ed with CASE equals the pattern exactly when the bytes are the name in any case.
     */
    private static final long[][] WORDS = new long[NAMES.length][];
    private static final long[][] CASE = new long[NAMES.length][];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Ids of the long names by {@link #hashStep} hash (open addressing, 0 = empty slot): the parser computes the
     * hash while it checks the name's bytes, so a known name costs one probe and one comparison.
     */
    private static final byte[] BY_HASH = new byte[256];
    /**
     * The long names by their first letter (a = 0), in NAMES order, each as {@code length << 8 | id}: tried before
     * any byte scan. FIRST_WORD and FIRST_CASE hold each name's first word and its case bits, FIRST_KEEP the mask
     * of its bytes in that word, so most candidates cost one word comparison with no further indirection.
     */
    private static final int[][] BY_FIRST = new int[26][];
    private static final long[] FIRST_WORD = new long[NAMES.length];
    private static final long[] FIRST_CASE = new long[NAMES.length];
    private static final long[] FIRST_KEEP = new long[NAMES.length];
    /** Id of each compact form, indexed by its lower-case letter. */
    private static final int[] COMPACT = new int[128];
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        for (int id = 1; id < NAMES.length; id++) {
            byte[] name = NAMES[id].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            NAME_BYTES[id] = name;
            FIRST_KEEP[id] = name.length >= 8 ? -1L : (1L << (8 * name.length)) - 1;
            WORDS[id] = new long[(name.length + 7) / 8];
            CASE[id] = new long[WORDS[id].length];
            for (int k = 0; k < name.length; k++) {
                WORDS[id][k / 8] |= (long) name[k] << (8 * (k % 8));
                CASE[id][k / 8] |= (name[k] >= 'a' && name[k] <= 'z' ? 0x20L : 0) << (8 * (k % 8));
            }
            FIRST_WORD[id] = WORDS[id][0];
            FIRST_CASE[id] = CASE[id][0];
            BY_NAME.put(NAMES[id], id);
            int h = 0;
            for (byte b : name) {
                h = hashStep(h, b);
            }
            int slot = slot(h);
            while (BY_HASH[slot] != 0) {
                slot = (slot + 1) & (BY_HASH.length - 1);
            }
            BY_HASH[slot] = (byte) id;
        }
        for (int letter = 0; letter < 26; letter++) {
            int count = 0;
            int[] ids = new int[NAMES.length];
            for (int id = 1; id < NAMES.length; id++) {
                if (NAMES[id].charAt(0) == 'a' + letter) {
                    ids[count++] = NAMES[id].length() << 8 | id;
                }
            }
            BY_FIRST[letter] = java.util.Arrays.copyOf(ids, count);
        }
        String[] compact = {"i", "call-id", "m", "contact", "e", "content-encoding",
                "l", "content-length", "c", "content-type", "f", "from", "s", "subject",
                "k", "supported", "t", "to", "v", "via", "r", "refer-to", "b", "referred-by",
                "o", "event", "u", "allow-events", "x", "session-expires", "a", "accept-contact",
                "j", "reject-contact", "d", "request-disposition", "y", "identity", "n", "identity-info"};
        for (int k = 0; k < compact.length; k += 2) {
            COMPACT[compact[k].charAt(0)] = BY_NAME.get(compact[k + 1]);
        }
    }

    private HeaderIds() {
    }

    /** One step of the name hash, over the byte with ASCII case folded (other bytes may collide: it is checked). */
    static int hashStep(int h, byte b) {
        return 31 * h + (b | 0x20);
    }

    private static int slot(int h) {
        return (h ^ (h >>> 8)) & (BY_HASH.length - 1);
    }

    /** The id of the header name in {@code data[from, to)} whose {@link #hashStep} hash is {@code hash}. */
    static int ofWire(byte[] data, int from, int to, int hash) {
        int len = to - from;
        if (len == 1) {
            int c = data[from] | 0x20;
            return c >= 'a' && c <= 'z' ? COMPACT[c] : OTHER;
        }
        for (int slot = slot(hash); ; slot = (slot + 1) & (BY_HASH.length - 1)) {
            int id = BY_HASH[slot];
            if (id == 0) {
                return OTHER;
            }
            if (NAME_BYTES[id].length == len && equalsWire(data, from, id)) {
                return id;
            }
        }
    }

    /**
     * The id of a long name we know written at {@code from} and followed by ':', SP or HTAB before {@code to}, or
     * OTHER. Costs a word comparison or two, no byte scan: most header lines of a message are found this way, and
     * the parser scans only the others. (A known name's bytes are all token characters, as the scan would check.)
     */
    static int knownAt(byte[] data, int from, int to) {
        int letter = (data[from] | 0x20) - 'a';
        if (letter < 0 || letter >= 26 || from + 24 > data.length) {
            return OTHER; // near the end of the array the scan does it (names are at most 19 bytes)
        }
        long first = (long) LONGS.get(data, from);
        for (int packed : BY_FIRST[letter]) {
            int id = packed & 0xFF;
            int end = from + (packed >>> 8);
            if (end < to && ((first | FIRST_CASE[id]) & FIRST_KEEP[id]) == FIRST_WORD[id]) {
                byte after = data[end];
                if ((after == ':' || after == ' ' || after == '\t') && (end - from <= 8 || restEquals(data, from, id))) {
                    return id;
                }
            }
        }
        return OTHER;
    }

    /** One more than the highest id. */
    /**
     * The headers a message may carry once only (RFC 3261 §7.3.1: only a comma-separated list may repeat), as a
     * bit per id: the ones the stack reads. Not Authorization and Proxy-Authorization: one per realm may come.
     */
    static final long SINGLETONS = bits("from", "to", "call-id", "cseq", "content-length", "max-forwards",
            "content-type", "expires", "min-expires", "session-expires", "refer-to", "event");

    private static long bits(String... names) {
        long b = 0;
        for (String n : names) {
            int id = ofCanonical(n);
            if (id == OTHER || id >= Long.SIZE) {
                throw new IllegalStateException("no id below 64 for " + n);
            }
            b |= 1L << id;
        }
        return b;
    }

    static int count() {
        return NAMES.length;
    }

    static int length(int id) {
        return NAME_BYTES[id].length;
    }

    /** The id of a canonical (lower-case, long) name, OTHER when it has none. */
    static int ofCanonical(String canonicalName) {
        Integer id = BY_NAME.get(canonicalName);
        return id == null ? OTHER : id;
    }

    static String name(int id) {
        return NAMES[id];
    }

    /** Whether the wire name folds to {@code canonical}: same length, each byte lower-cased equal. */
    static boolean wireEquals(byte[] data, int from, int to, String canonical) {
        if (to - from != canonical.length()) {
            return false;
        }
        for (int i = 0; i < canonical.length(); i++) {
            if (lower(data[from + i]) != canonical.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The words after the first of a name longer than 8 bytes (at most 24 in all); the caller checked they are there. */
    private static boolean restEquals(byte[] data, int from, int id) {
        long[] words = WORDS[id];
        long[] cases = CASE[id];
        int last = words.length - 1;
        for (int k = 1; k < last; k++) {
            if (((long) LONGS.get(data, from + 8 * k) | cases[k]) != words[k]) {
                return false;
            }
        }
        int tail = NAME_BYTES[id].length - 8 * last;
        long keep = tail == 8 ? -1L : (1L << (8 * tail)) - 1;
        return (((long) LONGS.get(data, from + 8 * last) | cases[last]) & keep) == words[last];
    }

    /** Whether the bytes at {@code from} spell the name of {@code id} in any case, a word at a time where they can. */
    private static boolean equalsWire(byte[] data, int from, int id) {
        if (from + 24 > data.length) {
            return equalsLowerCase(data, from, NAME_BYTES[id]);
        }
        long first = (long) LONGS.get(data, from);
        return ((first | FIRST_CASE[id]) & FIRST_KEEP[id]) == FIRST_WORD[id]
                && (NAME_BYTES[id].length <= 8 || restEquals(data, from, id));
    }

    /** ASCII letters compared without case; {@code lowerName} is already lower-case. */
    private static boolean equalsLowerCase(byte[] data, int from, byte[] lowerName) {
        for (int i = 0; i < lowerName.length; i++) {
            if (lower(data[from + i]) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }
}
