package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.Gruus;
import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.Branches;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.auth.Digest;
import org.switchboard.testkit.DigestAnswers;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.SipText;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * GRUUs (RFC 5627 §5.1, §5.2) in the registrar's 200: only for a phone that asks (Supported: gruu) and names its
 * instance; the public one the same on every refresh, temporary ones that resolve to the AOR and instance under
 * the cluster secret only, and stop being valid when the instance registers under another Call-ID.
 */
class GruuRegistrationTest {
    private static final String AOR = "sip:alice@example.com";
    private static final String SECRET = "test-secret";
    private static final String INSTANCE = "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
    private static final Optional<String> DEVICE = Optional.of("<sip:alice@127.0.0.1:5070>;+sip.instance=\"<" + INSTANCE + ">\"");
    private static final Peer PHONE = new Peer("127.0.0.1", 5070);
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("gruu-registration");
    private EventSourcedBehaviorTestKit<RegistrationCommand, RegistrationEvent, RegistrationState> entity;
    private TestProbe<TransportCommand> transport;
    private final Gruus gruus = new Gruus(new Branches(SECRET).keyFor(Gruus.KEY_PURPOSE));
    private String callId = UUID.randomUUID().toString();
    private long cseq = 1;
    private int nc;

    @BeforeEach
    void fresh() {
        RegistrarSettings settings = new RegistrarSettings(3600, 60, 7200, 3, 300_000, SECRET, TestClock.manual());
        entity = EventSourcedBehaviorTestKit.create(testKit.system(), Registration.create(AOR, settings));
        transport = testKit.createTestProbe();
        entity.<Done>runCommand(reply -> new ProvisionAccount("alice", "example.com",
                Digest.ha1(Digest.Algorithm.MD5, "alice", "example.com", "alicepw"),
                Digest.ha1(Digest.Algorithm.SHA_256, "alice", "example.com", "alicepw"), reply));
    }

    @Test
    void aPhoneThatAsksGetsItsPublicAndATemporaryGruuInItsContact() {
        NameAddress contact = registerDevice(DEVICE, List.of("Supported: path, gruu")).contacts().get(0);
        assertEquals(AOR + ";gr=" + INSTANCE, param(contact, "pub-gruu"), "pub-gruu: the AOR with gr=<instance> (§3.1)");
        String temp = param(contact, "temp-gruu");
        assertTrue(temp.startsWith("sip:tgruu.") && temp.endsWith("@example.com;gr"), temp);
        assertFalse(temp.contains("alice") || temp.contains("f81d4fae"), "a temp-gruu names neither AOR nor instance: " + temp);
    }

    @Test
    void noGruuWithoutSupportedGruuNorWithoutAnInstance() {
        NameAddress unasked = registerDevice(DEVICE, List.of("Supported: path")).contacts().get(0);
        assertTrue(unasked.params().get("pub-gruu").isEmpty() && unasked.params().get("temp-gruu").isEmpty(),
                "Supported: gruu missing: " + unasked);
        NameAddress noInstance = registerDevice(Optional.of("<sip:alice@127.0.0.1:5071>"), List.of("Supported: gruu"))
                .contacts().stream().filter(c -> c.uri().port().orElse(0) == 5071).findFirst().orElseThrow();
        assertTrue(noInstance.params().get("pub-gruu").isEmpty() && noInstance.params().get("temp-gruu").isEmpty(),
                "no +sip.instance: " + noInstance);
    }

    @Test
    void aRefreshKeepsThePublicGruuAndEveryTemporaryOneOfTheRegistrationResolvesToTheDevice() {
        NameAddress first = registerDevice(DEVICE, List.of("Supported: gruu")).contacts().get(0);
        NameAddress refreshed = registerDevice(DEVICE, List.of("Supported: gruu")).contacts().get(0);
        assertEquals(param(first, "pub-gruu"), param(refreshed, "pub-gruu"), "the public GRUU never changes");
        assertNotEquals(param(first, "temp-gruu"), param(refreshed, "temp-gruu"), "a new temp-gruu per REGISTER");
        LookupResult now = entity.<LookupResult>runCommand(Lookup::new).reply();
        for (String temp : List.of(param(first, "temp-gruu"), param(refreshed, "temp-gruu"))) {
            GruuTarget target = gruus.resolve(SipUri.parse(temp)).orElseThrow(() -> new AssertionError(temp));
            assertEquals(AOR, target.aor());
            assertEquals(INSTANCE, target.instance());
            assertEquals(1, target.reaches(now.bindings()).size(), "both temp-gruus stay valid (§5.1): " + temp);
        }
        GruuTarget pub = gruus.resolve(SipUri.parse(param(first, "pub-gruu"))).orElseThrow();
        assertEquals(new GruuTarget(AOR, INSTANCE, Optional.empty()), pub);
        assertEquals(1, pub.reaches(now.bindings()).size());
    }

    @Test
    void aTamperedOrForeignTemporaryGruuResolvesToNothing() {
        String temp = param(registerDevice(DEVICE, List.of("Supported: gruu")).contacts().get(0), "temp-gruu");
        SipUri uri = SipUri.parse(temp);
        String token = uri.user().orElseThrow();
        for (int i = "tgruu.".length(); i < token.length(); i += 7) {
            char c = token.charAt(i) == 'A' ? 'B' : 'A';
            String changed = token.substring(0, i) + c + token.substring(i + 1);
            assertTrue(gruus.resolve(SipUri.parse("sip:" + changed + "@example.com;gr")).isEmpty(), "tampered at " + i);
        }
        assertTrue(gruus.resolve(SipUri.parse(temp.replace("@example.com", "@other.example.com"))).isEmpty(),
                "valid only in the domain it was issued for");
        assertTrue(new Gruus(new Branches("another-secret").keyFor(Gruus.KEY_PURPOSE)).resolve(uri).isEmpty(),
                "another cluster's secret does not open it");
        assertTrue(gruus.resolve(SipUri.parse("sip:tgruu.@example.com;gr")).isEmpty());
        assertTrue(gruus.resolve(SipUri.parse("sip:tgruu.!!!@example.com;gr")).isEmpty());
    }

    @Test
    void aNewRegistrationOfTheInstanceUnderAnotherCallIdRevokesItsEarlierTemporaryGruus() {
        String old = param(registerDevice(DEVICE, List.of("Supported: gruu")).contacts().get(0), "temp-gruu");
        callId = UUID.randomUUID().toString(); // the phone restarted
        String fresh = param(registerDevice(DEVICE, List.of("Supported: gruu")).contacts().get(0), "temp-gruu");
        List<org.switchboard.registrar.api.ContactBinding> bindings = entity.<LookupResult>runCommand(Lookup::new).reply().bindings();
        GruuTarget revoked = gruus.resolve(SipUri.parse(old)).orElseThrow();
        assertTrue(revoked.revokedBy(bindings), "§5.1: a new Call-ID invalidates the earlier temp-gruus");
        assertTrue(revoked.reaches(bindings).isEmpty());
        assertEquals(1, gruus.resolve(SipUri.parse(fresh)).orElseThrow().reaches(bindings).size());
    }

    @Test
    void aGruuIsNeverBoundAsAContact() {
        String pub = param(registerDevice(DEVICE, List.of("Supported: gruu")).contacts().get(0), "pub-gruu");
        Optional<String> loop = Optional.of("<" + pub + ">");
        SipResponse challenge = send(TestRequests.register(PHONE, "alice", callId, cseq++, loop, Optional.of(600),
                Optional.empty(), List.of(), transport.ref()));
        String auth = DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), "alice", "alicepw",
                "REGISTER", "sip:example.com", ++nc);
        var result = entity.runCommand(TestRequests.register(PHONE, "alice", callId, cseq++, loop, Optional.of(600),
                Optional.of(auth), List.of(), transport.ref()));
        assertTrue(result.events().isEmpty());
        assertEquals(403, SipText.response(((Send) transport.receiveMessage(Duration.ofSeconds(3))).bytes()).status());
    }

    // ---------------------------------------------------------------- helpers

    /** REGISTERs {@code contact} for 600 s with these extra header lines, answering the challenge; the 200. */
    private SipResponse registerDevice(Optional<String> contact, List<String> extra) {
        SipResponse challenge = send(TestRequests.register(PHONE, "alice", callId, cseq++, contact, Optional.of(600),
                Optional.empty(), extra, transport.ref()));
        String auth = DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), "alice", "alicepw",
                "REGISTER", "sip:example.com", ++nc);
        SipResponse ok = send(TestRequests.register(PHONE, "alice", callId, cseq++, contact, Optional.of(600),
                Optional.of(auth), extra, transport.ref()));
        assertEquals(200, ok.status());
        return ok;
    }

    private SipResponse send(HandleRegister cmd) {
        entity.runCommand(cmd);
        return SipText.response(((Send) transport.receiveMessage(Duration.ofSeconds(3))).bytes());
    }

    /** A quoted Contact parameter's value (RFC 5627 §5.2 quotes both GRUUs). */
    private static String param(NameAddress contact, String name) {
        String v = contact.params().get(name).orElseThrow(() -> new AssertionError("no " + name + " in " + contact));
        assertTrue(v.length() > 1 && v.startsWith("\"") && v.endsWith("\""), name + " is a quoted string: " + v);
        return v.substring(1, v.length() - 1);
    }
}
