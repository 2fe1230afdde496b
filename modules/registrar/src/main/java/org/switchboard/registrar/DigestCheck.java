package org.switchboard.registrar;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestChallenge;
import org.switchboard.sip.auth.DigestCredentials;

/**
 * Checks a request's Authorization (or Proxy-Authorization) against an AOR (RFC 3261 §22, RFC 7616), the same way
 * whether the AOR has an account or not, so that no answer and no timing says which users exist.
 *
 * <p>The rules, in order:
 * <ol>
 * <li>No credentials for our realm, a nonce that is not ours, or an algorithm we did not offer: a fresh
 * challenge. A nonce that is ours but expired or issued by an earlier incarnation of the entity: a fresh challenge
 * with {@code stale=true} (the phone answers it without asking its user).</li>
 * <li>{@code qop} other than {@code auth}, no {@code nc}/{@code cnonce}, or a digest {@code uri} that does not name
 * the Request-URI: malformed (400 for a REGISTER, 403 for a caller). RFC 2617 §3.2.2.5, kept by RFC 7616: "The
 * authenticating server must assure that the resource designated by the "uri" directive is the same as the
 * resource specified in the Request-Line; if they are not, the server SHOULD return a 400 Bad Request error."
 * Credentials without qop (RFC 2069) are refused: they carry no nonce-count, so their replay cannot be
 * recognised. Neither is a guess: no response was computed, so nothing about the password was learnt.</li>
 * <li>A valid nonce of ours with a wrong response, another user's name, or a user without account: failed, at
 * once. The nonce was fresh, so the phone used the password it has and it was wrong; asking again only gives a
 * guesser more tries. RFC 3261 §21.4.4: "403 Forbidden: The server understood the request, but is refusing to
 * fulfill it. Authorization will not help, and the request SHOULD NOT be repeated." The work is the same for an
 * unknown user: its response is computed against a random HA1 no password can match.</li>
 * <li>A right response whose nonce-count is not above the highest seen with that nonce: a replay, a fresh
 * challenge (RFC 7616 §3.4).</li>
 * </ol>
 */
final class DigestCheck {
    /** The verdict; challenges to send when the request is not (or no longer) authorised. */
    sealed interface Result {
    }

    record Authorised(String username) implements Result {
    }

    record Challenge(List<DigestChallenge> challenges) implements Result {
    }

    /** Credentials that were tried against a fresh nonce of ours and failed: 403, and counted as a guess. */
    record Failed() implements Result {
    }

    record Malformed(String reason) implements Result {
    }

    /**
     * Who is being authenticated: the AOR, its realm (the account's, or the AOR's domain when there is no account)
     * and its account, if any.
     */
    record Subject(String aor, String realm, Optional<Account> account) {
        static Subject of(String aor, Optional<Account> account) {
            return new Subject(aor, account.map(Account::realm).orElseGet(() -> domainOf(aor)), account);
        }

        static String domainOf(String aor) {
            try {
                return SipUri.parse(aor).host().toLowerCase(Locale.ROOT);
            } catch (RuntimeException e) {
                return aor.substring(aor.lastIndexOf('@') + 1);
            }
        }
    }

    /** HA1s for users without account: random, so no password matches, yet the response costs the same work. */
    private static final String DUMMY_MD5;
    private static final String DUMMY_SHA256;

    static {
        SecureRandom random = new SecureRandom();
        byte[] b = new byte[32];
        random.nextBytes(b);
        DUMMY_MD5 = HexFormat.of().formatHex(b, 0, 16);
        random.nextBytes(b);
        DUMMY_SHA256 = HexFormat.of().formatHex(b);
    }

    private DigestCheck() {
    }

    /**
     * @param requestUri  the Request-URI as received
     * @param credentials the values of the Authorization or Proxy-Authorization headers
     * @param incarnation the checking entity's incarnation (see {@link Nonces})
     */
    static Result check(String method, String requestUri, List<String> credentials, Subject subject, Nonces nonces,
                        String incarnation, NonceCounts counts, List<Digest.Algorithm> offered, long nowMillis) {
        Optional<DigestCredentials> creds;
        try {
            creds = credentials.stream()
                    .map(DigestCredentials::parse)
                    .filter(c -> c.realm().equals(subject.realm()))
                    .findFirst();
        } catch (SipParseException e) {
            return new Malformed("Authorization: " + e.error().reason());
        }
        if (creds.isEmpty()) {
            return challenge(subject, nonces, incarnation, offered, nowMillis, false);
        }
        DigestCredentials c = creds.get();
        Nonces.Verdict verdict = nonces.check(c.nonce(), subject.realm(), subject.aor(), incarnation, nowMillis);
        if (verdict != Nonces.Verdict.VALID) {
            return challenge(subject, nonces, incarnation, offered, nowMillis, verdict == Nonces.Verdict.STALE);
        }
        if (c.qop().isEmpty() || !c.qop().get().equalsIgnoreCase("auth") || c.get("nc").isEmpty()
                || c.get("cnonce").isEmpty()) {
            return new Malformed("Authorization needs qop=auth with nc and cnonce");
        }
        long count;
        try {
            count = Long.parseLong(c.get("nc").get(), 16);
        } catch (NumberFormatException e) {
            return new Malformed("Authorization: nc is not 8 hex digits");
        }
        if (!sameResource(c.uri(), requestUri)) {
            return new Malformed("Authorization: digest uri is not the Request-URI");
        }
        Optional<Digest.Algorithm> alg = Digest.Algorithm.fromWire(c.algorithm()).filter(offered::contains);
        if (alg.isEmpty()) {
            return challenge(subject, nonces, incarnation, offered, nowMillis, false);
        }
        Optional<Account> owner = subject.account().filter(a -> a.username().equals(c.username()));
        String ha1 = owner.map(a -> alg.get() == Digest.Algorithm.MD5 ? a.ha1Md5() : a.ha1Sha256())
                .orElse(alg.get() == Digest.Algorithm.MD5 ? DUMMY_MD5 : DUMMY_SHA256);
        String expected = Digest.responseWithQop(alg.get(), ha1, c.nonce(), c.get("nc").get(), c.get("cnonce").get(),
                method, c.uri());
        boolean right = Digest.constantTimeEquals(expected, c.response());
        if (!right || owner.isEmpty()) {
            return new Failed();
        }
        if (!counts.accept(c.nonce(), count, nowMillis)) {
            return challenge(subject, nonces, incarnation, offered, nowMillis, false);
        }
        return new Authorised(c.username());
    }

    /**
     * The digest uri names the Request-URI: the same text (what every phone sends: it copies its Request-URI), or
     * an equal URI by RFC 3261 §19.1.4 ({@link SipUri#equivalent}: escapes, case of scheme, host and parameters).
     */
    static boolean sameResource(String digestUri, String requestUri) {
        if (digestUri.equals(requestUri)) {
            return true;
        }
        try {
            return SipUri.parse(digestUri).equivalent(SipUri.parse(requestUri));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Result challenge(Subject subject, Nonces nonces, String incarnation, List<Digest.Algorithm> offered,
                                    long nowMillis, boolean stale) {
        String nonce = nonces.issue(subject.realm(), subject.aor(), incarnation, nowMillis);
        return new Challenge(offered.stream().map(a -> new DigestChallenge(subject.realm(), nonce, a, stale)).toList());
    }
}
