package org.switchboard.registrar;

import java.util.List;
import java.util.Optional;

import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestChallenge;
import org.switchboard.sip.auth.DigestCredentials;

/** Checks a request's Authorization against an account (RFC 3261 §22, RFC 7616), refusing replayed counts. */
final class DigestCheck {
    /** The verdict; challenges to send when the request is not (or no longer) authorised. */
    sealed interface Result {
    }

    record Authorised(String username) implements Result {
    }

    record Challenge(List<DigestChallenge> challenges) implements Result {
    }

    /** Authenticated as someone else than the AOR's owner. */
    record Forbidden(String username) implements Result {
    }

    record Malformed(String reason) implements Result {
    }

    private DigestCheck() {
    }

    static Result check(SipRequest request, Account account, Nonces nonces, NonceCounts counts,
                        List<Digest.Algorithm> offered, long nowMillis) {
        return check(request.method(), request.headers(HeaderNames.AUTHORIZATION), account, nonces, counts, offered,
                nowMillis);
    }

    /** The same check over the values of an Authorization or Proxy-Authorization header. */
    static Result check(String method, List<String> credentials, Account account, Nonces nonces, NonceCounts counts,
                        List<Digest.Algorithm> offered, long nowMillis) {
        Optional<DigestCredentials> creds;
        try {
            creds = credentials.stream()
                    .map(DigestCredentials::parse)
                    .filter(c -> c.realm().equals(account.realm()))
                    .findFirst();
        } catch (SipParseException e) {
            return new Malformed("Authorization: " + e.error().reason());
        }
        if (creds.isEmpty()) {
            return challenge(account, nonces, offered, nowMillis, false);
        }
        DigestCredentials c = creds.get();
        Nonces.Verdict verdict = nonces.check(c.nonce(), account.realm(), nowMillis);
        if (verdict != Nonces.Verdict.VALID) {
            return challenge(account, nonces, offered, nowMillis, verdict == Nonces.Verdict.STALE);
        }
        if (!c.username().equals(account.username())) {
            return new Forbidden(c.username());
        }
        Optional<Digest.Algorithm> alg = Digest.Algorithm.fromWire(c.algorithm()).filter(offered::contains);
        if (alg.isEmpty()) {
            return challenge(account, nonces, offered, nowMillis, false);
        }
        String ha1 = alg.get() == Digest.Algorithm.MD5 ? account.ha1Md5() : account.ha1Sha256();
        String expected;
        long count;
        if (c.qop().isPresent()) {
            if (!c.qop().get().equalsIgnoreCase("auth") || c.get("nc").isEmpty() || c.get("cnonce").isEmpty()) {
                return new Malformed("Authorization: qop=auth needs nc and cnonce");
            }
            try {
                count = Long.parseLong(c.get("nc").get(), 16);
            } catch (NumberFormatException e) {
                return new Malformed("Authorization: nc is not 8 hex digits");
            }
            expected = Digest.responseWithQop(alg.get(), ha1, c.nonce(), c.get("nc").get(), c.get("cnonce").get(),
                    method, c.uri());
        } else {
            count = 1; // without qop a nonce can be used once
            expected = Digest.responseWithoutQop(alg.get(), ha1, c.nonce(), method, c.uri());
        }
        if (!Digest.constantTimeEquals(expected, c.response()) || !counts.accept(c.nonce(), count, nowMillis)) {
            return challenge(account, nonces, offered, nowMillis, false);
        }
        return new Authorised(c.username());
    }

    private static Result challenge(Account account, Nonces nonces, List<Digest.Algorithm> offered, long nowMillis,
                                    boolean stale) {
        String nonce = nonces.issue(account.realm(), nowMillis);
        return new Challenge(offered.stream().map(a -> new DigestChallenge(account.realm(), nonce, a, stale)).toList());
    }
}
