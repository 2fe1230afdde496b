package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * GRUUs (RFC 5627) through one node, between phones: two devices of one AOR register asking for GRUUs; a call to
 * the AOR rings both, a call to a device's public or temporary GRUU rings that device only (and does not fall back
 * to the other when it is busy), a dialog whose remote targets are GRUUs (either side) carries on between the
 * devices, and once a device has unregistered its GRUUs are 480; a temp-gruu nobody issued is 404.
 */
class GruuTest {
    private static final String DESK = "urn:uuid:6f0d3a52-0000-4000-8000-00000000d35c";
    private static final String MOBILE = "urn:uuid:6f0d3a52-0000-4000-8000-0000000000b1";
    @RegisterExtension
    static final SingleNode node = SingleNode.of("gruu", List.of("twin@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    /** The GRUUs a device got in the 200 to its REGISTER. */
    private record Gruus(String pub, String temp) {
    }

    @Test
    void aGruuReachesExactlyItsDeviceAndStopsWhenTheDeviceUnregisters() {
        try (DialogPhone caller = new DialogPhone("caller", node.address());
             DialogPhone desk = new DialogPhone("twin", node.address());
             DialogPhone mobile = new DialogPhone("twin", node.address())) {
            Gruus deskGruus = register(desk, DESK);
            Gruus mobileGruus = register(mobile, MOBILE);
            assertEquals("sip:twin@sip.test;gr=" + MOBILE, mobileGruus.pub());
            assertTrue(deskGruus.temp().startsWith("sip:tgruu.") && deskGruus.temp().endsWith("@sip.test;gr"),
                    deskGruus.temp());

            // the AOR: both devices ring
            DialogPhone.Sent toAor = caller.invite("sip:twin@sip.test", List.of(), sdp("caller"));
            desk.answer(desk.awaitRequest("INVITE"), 486, "Busy Here");
            mobile.answer(mobile.awaitRequest("INVITE"), 486, "Busy Here");
            assertEquals(486, caller.await(toAor).status());
            assertEquals(toAor.callId(), desk.awaitRequest("ACK").callId()); // the proxy's hop-by-hop ACKs
            assertEquals(toAor.callId(), mobile.awaitRequest("ACK").callId());

            // the mobile's public GRUU: only the mobile rings; the dialog's requests to the GRUU reach it
            DialogPhone.Sent toMobile = caller.invite(mobileGruus.pub(), List.of(), sdp("caller"));
            SipRequest atMobile = mobile.awaitRequest("INVITE");
            assertEquals(toMobile.callId(), atMobile.callId());
            assertEquals("sip:twin@" + mobile.localAddress().getHostString() + ":" + mobile.port(),
                    atMobile.requestUriText(), "retargeted to the mobile's registered contact");
            mobile.answer(atMobile, 200, "OK", List.of("Contact: <" + mobileGruus.pub() + ">"), "application/sdp",
                    sdp("mobile"));
            assertEquals(200, caller.await(toMobile).status());
            assertEquals(toMobile.callId(), mobile.awaitRequest("ACK").callId(), "the 2xx's ACK reaches the GRUU");
            DialogPhone.Sent bye = caller.request(toMobile.callId(), "BYE", List.of(), null, null);
            SipRequest byeAtMobile = mobile.awaitRequest("BYE");
            assertEquals(mobileGruus.pub(), byeAtMobile.requestUriText(), "the dialog's remote target is the GRUU");
            mobile.answer(byeAtMobile, 200, "OK");
            assertEquals(200, caller.await(bye).status());
            assertFalse(desk.hasReceived("INVITE", toMobile.callId()), "the desk never rang for the mobile's GRUU");

            // the desk's temporary GRUU: only the desk rings, and its busy is the answer (no other device tried)
            DialogPhone.Sent toDesk = caller.invite(deskGruus.temp(), List.of(), sdp("caller"));
            SipRequest atDesk = desk.awaitRequest("INVITE");
            assertEquals(toDesk.callId(), atDesk.callId());
            desk.answer(atDesk, 486, "Busy Here");
            assertEquals(486, caller.await(toDesk).status());
            assertFalse(mobile.hasReceived("INVITE", toDesk.callId()), "the mobile never rang for the desk's GRUU");

            // the desk calls the mobile with its own GRUU as Contact (RFC 5627 §4.2): the mobile's BYE reaches it
            DialogPhone.Sent deskToMobile = desk.invite(mobileGruus.pub(), List.of("Contact: <" + deskGruus.pub() + ">"),
                    sdp("desk"));
            mobile.answer(mobile.awaitRequest("INVITE"), 200, "OK", List.of("Contact: <" + mobileGruus.temp() + ">"),
                    "application/sdp", sdp("mobile"));
            assertEquals(200, desk.await(deskToMobile).status());
            assertEquals(deskToMobile.callId(), mobile.awaitRequest("ACK").callId());
            DialogPhone.Sent hangUp = mobile.request(deskToMobile.callId(), "BYE", List.of(), null, null);
            SipRequest byeAtDesk = desk.awaitRequest("BYE");
            assertEquals(deskGruus.pub(), byeAtDesk.requestUriText());
            desk.answer(byeAtDesk, 200, "OK");
            assertEquals(200, mobile.await(hangUp).status());

            // a MESSAGE to the desk's temporary GRUU reaches the desk alone (out-of-dialog requests target GRUUs too)
            DialogPhone.Sent text = caller.outOfDialog("MESSAGE", deskGruus.temp(), List.of(), "text/plain", "desk only");
            SipRequest textAtDesk = desk.awaitRequest("MESSAGE");
            assertEquals("desk only", new String(textAtDesk.body()));
            desk.answer(textAtDesk, 200, "OK");
            assertEquals(200, caller.await(text).status());
            assertFalse(mobile.hasReceived("MESSAGE", text.callId()), "the mobile got no copy of the desk's MESSAGE");

            // the desk unregisters: its GRUUs are temporarily unavailable, the mobile's still work
            assertEquals(200, desk.register(instance(DESK) + ";expires=0", List.of("Supported: gruu")).status());
            for (String gone : List.of(deskGruus.pub(), deskGruus.temp())) {
                DialogPhone.Sent invite = caller.invite(gone, List.of(), sdp("caller"));
                assertEquals(480, caller.await(invite).status(), gone);
                assertFalse(mobile.hasReceived("INVITE", invite.callId()), "not sent to the other device: " + gone);
            }
            DialogPhone.Sent forged = caller.invite("sip:tgruu.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@sip.test;gr",
                    List.of(), sdp("caller"));
            assertEquals(404, caller.await(forged).status(), "a temp-gruu this cluster never issued");
        }
    }

    /** Registers {@code phone} as the device {@code instance}, asking for GRUUs; the GRUUs of its own Contact. */
    private static Gruus register(DialogPhone phone, String instance) {
        SipResponse ok = phone.register(instance(instance), List.of("Supported: gruu"));
        assertEquals(200, ok.status());
        NameAddress mine = ok.contacts().stream().filter(c -> c.uri().port().orElse(5060) == phone.port()).findFirst()
                .orElseThrow(() -> new AssertionError("no Contact of port " + phone.port() + " in " + ok));
        return new Gruus(unquote(mine.params().get("pub-gruu").orElseThrow()),
                unquote(mine.params().get("temp-gruu").orElseThrow()));
    }

    private static String instance(String urn) {
        return ";+sip.instance=\"<" + urn + ">\"";
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    private static String sdp(String user) {
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    }
}
