package org.switchboard.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.Branches;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;

/**
 * Topology hiding ({@code switchboard.policy.topology-hiding}): a peer beyond a trunk (a fork sent to a configured
 * route, {@code switchboard.proxy.routes}) sees the cluster's address and nothing of the caller's side.
 *
 * <p>Stateless, as Kamailio's {@code topoh} rather than its {@code topos}: what a request loses on its way to the
 * trunk is sealed (AES-256-GCM under a key derived from the cluster secret, the Call-ID as associated data) into
 * what the trunk must send back anyway, so any node restores it after a failover, with no journal write:
 * <ul>
 * <li>the caller side's Vias and Record-Routes go into a parameter of our Via ({@link #HIDDEN}); every response
 *     carries our Via back, and the stack is put together again before the response goes upstream;</li>
 * <li>the Contact becomes {@code <sip:our-address;sb-ct=SEALED>}: the trunk sends its in-dialog requests to that
 *     URI (through our Record-Route), and the caller's real Contact is put back into the Request-URI;</li>
 * <li>our Record-Route carries {@link #ROUTE_FLAG}, so the requests of the caller's side in that dialog (ACK,
 *     BYE, re-INVITE: they come back through us with it as their top Route) are hidden in the same way, and the
 *     responses to the trunk's own requests get their Contact masked ({@link #MASK} on our Via toward the
 *     caller).</li>
 * </ul>
 * Not hidden: the Call-ID, From, To and the body (a caller's SDP names its media address: that is the business of
 * a media relay). The sealing is deterministic (the nonce is a MAC of the plaintext), so a retransmission or a
 * refresh with the same Contact shows the trunk the same masked Contact.
 */
final class TopologyHiding {
    /** Via parameter: the Vias and Record-Routes a hidden request lost, sealed. */
    static final String HIDDEN = "sb-th";
    /** Via parameter toward the caller's side: Contacts of the responses are masked behind this (base64url) address. */
    static final String MASK = "sb-mask";
    /** URI parameter of a masked Contact: the real Contact URI, sealed. */
    static final String CONTACT = "sb-ct";
    /** URI parameter of our Record-Route: the callee's side of this dialog is beyond a trunk ({@link #CALLER}: the caller's). */
    static final String ROUTE_FLAG = "sb-th";
    /** Value of {@link #ROUTE_FLAG} for a call that came from a trunk. */
    static final String CALLER = "caller";

    /** A response ready to go upstream, and the Via that says where when no transaction does. */
    record Relayed(byte[] bytes, Optional<Via> upstream) {
    }

    /** A request of the trunk's side with its Request-URI restored, and our address as the trunk reaches it. */
    record Restored(SipRequest request, String outer) {
    }

    private static final Logger log = LoggerFactory.getLogger(TopologyHiding.class);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final boolean enabled;
    private final Branches branches;
    /** Derived on first use: most calls (hiding off, or not to a trunk) never seal or open anything. */
    private SecretKeySpec key;
    private SecretKeySpec nonceKey;
    /** The hosts of the configured routes: a call from one of them came from a trunk. */
    private final Set<String> trunkHosts;

    TopologyHiding(boolean enabled, Branches branches) {
        this(enabled, branches, List.of());
    }

    TopologyHiding(boolean enabled, Branches branches, Collection<String> routes) {
        this.enabled = enabled;
        Set<String> hosts = new HashSet<>();
        for (String route : enabled ? routes : List.<String>of()) {
            try {
                String host = SipUri.parse(route).host();
                hosts.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host.toLowerCase(Locale.ROOT));
            } catch (RuntimeException notAUri) {
                log.debug("route {} names no host a call could come from", route);
            }
        }
        this.trunkHosts = Set.copyOf(hosts);
        this.branches = branches;
    }

    /** One instance per Call entity, used by its actor only: no lock needed. */
    private void deriveKeys() {
        if (key == null) {
            key = new SecretKeySpec(branches.keyFor("topology-hiding"), "AES");
            nonceKey = new SecretKeySpec(branches.keyFor("topology-hiding-nonce"), "HmacSHA256");
        }
    }

    /** Whether new forks to configured routes are hidden (dialogs hidden before are restored either way). */
    boolean enabled() {
        return enabled;
    }

    /** Our Record-Route, flagged: the dialog's callee side is beyond a trunk. */
    static String flagged(String recordRoute) {
        int gt = recordRoute.lastIndexOf('>');
        return recordRoute.substring(0, gt) + ";" + ROUTE_FLAG + recordRoute.substring(gt);
    }

    /** Our Record-Route, flagged: the dialog's caller side is beyond a trunk. */
    static String flaggedCallerSide(String recordRoute) {
        int gt = recordRoute.lastIndexOf('>');
        return recordRoute.substring(0, gt) + ";" + ROUTE_FLAG + "=" + CALLER + recordRoute.substring(gt);
    }

    /**
     * Whether a new call from this address comes from beyond a trunk: hiding is on and the address is the host of
     * a configured route (as written there: a route by host name is matched by that name only).
     */
    boolean fromTrunk(String remoteHost) {
        return enabled && trunkHosts.contains(remoteHost.toLowerCase(Locale.ROOT));
    }

    /** How the trunk reaches us, from our Via toward it: host:port, and the transport when not UDP. */
    static String outer(Via ours) {
        return ours.sentBy() + (ours.transport().equals("UDP") ? "" : ";transport=" + ours.transport().toLowerCase(Locale.ROOT));
    }

    /** Whether our top Via of a response carries what topology hiding must undo. */
    static boolean touched(Via ours) {
        return ours.params().has(HIDDEN) || ours.params().has(MASK);
    }

    /**
     * Whether an in-dialog request goes to the hidden side: its top Route is our flagged Record-Route and it comes
     * from the other side (the Route's dialog token is for its From tag when the callee's side is hidden, for its
     * To tag when the caller's is).
     */
    boolean towardHidden(SipRequest request) {
        List<NameAddress> routes = request.routes();
        if (routes.isEmpty()) {
            return false;
        }
        SipUri top = routes.get(0).uri();
        Optional<String> token = top.params().get(SessionSettings.ROUTE_TOKEN_PARAM);
        Optional<String> flag = top.params().get(ROUTE_FLAG);
        if (flag.isEmpty() || token.isEmpty()) {
            return false;
        }
        Optional<String> senderTag = flag.get().equals(CALLER) ? request.to().tag() : request.from().tag();
        return branches.isDialogToken(token.get(), request.callId(), senderTag.orElse(""));
    }

    /**
     * The forwarded request as the trunk gets it: our Via alone (the others sealed into it), only our own
     * Record-Routes (the flagged ones; the others sealed too), the Contact masked behind our Via's address.
     */
    SipRequest hide(SipRequest forwarded) {
        String callId = forwarded.callId();
        List<String> vias = forwarded.headers(HeaderName.VIA);
        List<String> keep = new ArrayList<>();
        StringBuilder sealed = new StringBuilder();
        for (String via : vias.subList(1, vias.size())) {
            sealed.append(sealed.isEmpty() ? "" : "\n").append('V').append(via);
        }
        for (String rr : forwarded.headers(HeaderName.RECORD_ROUTE)) {
            if (NameAddress.parse(rr).uri().params().has(ROUTE_FLAG)) {
                keep.add(rr);
            } else {
                sealed.append(sealed.isEmpty() ? "" : "\n").append('R').append(rr);
            }
        }
        Via ours = Via.parse(vias.get(0));
        MessageEditor edit = forwarded.edit().remove(HeaderName.VIA).remove(HeaderName.RECORD_ROUTE);
        for (int i = keep.size() - 1; i >= 0; i--) {
            edit.prepend(HeaderName.RECORD_ROUTE, keep.get(i));
        }
        edit.prepend(HeaderName.VIA, vias.get(0) + (sealed.isEmpty() ? "" : ";" + HIDDEN + "=" + seal(callId, sealed.toString())));
        List<NameAddress> contacts = forwarded.contacts();
        if (!contacts.isEmpty()) {
            String outer = outer(ours);
            replaceContacts(edit, contacts.size(), masked(outer, callId, contacts.get(0).uri().toString()));
        }
        return (SipRequest) edit.build();
    }

    /**
     * A request whose Request-URI is a Contact we masked (the trunk's side of a hidden dialog) with the real Contact
     * put back; empty for any other request, and for a sealed value that does not open (not ours, or altered).
     */
    Optional<Restored> restoreTarget(SipRequest request) {
        SipUri uri = request.requestUri();
        Optional<String> sealed = uri.params().get(CONTACT);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> real = open(request.callId(), sealed.get());
        if (real.isEmpty()) {
            log.debug("call {}: a masked Request-URI that does not open", request.callId());
            return Optional.empty();
        }
        String host = uri.host() + uri.port().stream().mapToObj(p -> ":" + p).findFirst().orElse("");
        String outer = host + uri.params().get("transport").map(t -> ";transport=" + t).orElse("");
        return Optional.of(new Restored((SipRequest) request.edit().requestUri(real.get()).build(), outer));
    }

    /** The trunk's request on its way to the caller: the responses to it will have their Contact masked. */
    SipRequest maskResponses(SipRequest forwarded, String outer) {
        Via ours = forwarded.topVia();
        String marked = forwarded.headers(HeaderName.VIA).get(0) + ";" + MASK + "="
                + B64.encodeToString(outer.getBytes(StandardCharsets.UTF_8));
        return ours.params().has(MASK) ? forwarded
                : (SipRequest) forwarded.edit().replaceFirstValue(HeaderName.VIA, marked).build();
    }

    /**
     * A response going upstream: our Via popped, and what hiding took out of its request put back (the Vias, the
     * Record-Routes below ours) or, toward the trunk, the Contact masked. Empty when our sealed Via was altered:
     * then nobody knows where it goes, and it is dropped.
     */
    Optional<Relayed> up(SipResponse response) {
        List<Via> vias = response.vias();
        Via ours = vias.get(0);
        Optional<Via> next = vias.size() > 1 ? Optional.of(vias.get(1)) : Optional.empty();
        if (!touched(ours)) {
            return Optional.of(new Relayed(ProxyMessages.popVia(response), next));
        }
        String callId = response.callId();
        MessageEditor edit = response.edit().removeFirstValue(HeaderName.VIA);
        Optional<String> hidden = ours.params().get(HIDDEN);
        if (hidden.isPresent()) {
            Optional<String> plain = open(callId, hidden.get());
            if (plain.isEmpty()) {
                log.warn("call {}: a response whose sealed Via does not open; dropped", callId);
                return Optional.empty();
            }
            List<String> restoredVias = new ArrayList<>();
            List<String> restoredRoutes = new ArrayList<>();
            plain.get().lines().forEach(l -> (l.charAt(0) == 'V' ? restoredVias : restoredRoutes).add(l.substring(1)));
            for (int i = restoredVias.size() - 1; i >= 0; i--) {
                edit.prepend(HeaderName.VIA, restoredVias.get(i));
            }
            if (!response.headers(HeaderName.RECORD_ROUTE).isEmpty()) {
                restoredRoutes.forEach(rr -> edit.append(HeaderName.RECORD_ROUTE, rr));
            }
            next = restoredVias.isEmpty() ? next : Optional.of(Via.parse(restoredVias.get(0)));
        }
        Optional<String> mask = ours.params().get(MASK);
        List<NameAddress> contacts = response.contacts();
        if (mask.isPresent() && !contacts.isEmpty()) {
            String outer;
            try {
                outer = new String(B64D.decode(mask.get()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                log.warn("call {}: a response whose Via mask does not decode; dropped", callId);
                return Optional.empty();
            }
            replaceContacts(edit, contacts.size(), masked(outer, callId, contacts.get(0).uri().toString()));
        }
        return Optional.of(new Relayed(edit.toBytes(), next));
    }

    /** The Contact where it was (a dialog's requests and responses have one); several become the first, masked. */
    private static void replaceContacts(MessageEditor edit, int count, String masked) {
        if (count > 1) {
            edit.remove(HeaderName.CONTACT);
        }
        edit.set(HeaderName.CONTACT, masked);
    }

    private String masked(String outer, String callId, String contactUri) {
        return "<sip:" + outer + ";" + CONTACT + "=" + seal(callId, contactUri) + ">";
    }

    /** AES-256-GCM, the Call-ID as associated data, the nonce a MAC of Call-ID and text (same text, same output). */
    String seal(String callId, String text) {
        deriveKeys();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nonceKey);
            mac.update(callId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] nonce = Arrays.copyOf(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), NONCE);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(callId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The text {@link #seal} sealed for this Call-ID; empty when it was not, or was altered. */
    Optional<String> open(String callId, String sealed) {
        deriveKeys();
        try {
            byte[] in = B64D.decode(sealed);
            if (in.length < NONCE + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
            cipher.updateAAD(callId.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(in, NONCE, in.length - NONCE), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
