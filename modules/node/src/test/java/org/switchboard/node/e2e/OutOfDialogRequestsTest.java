package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * Out-of-dialog requests other than INVITE through one node, between real UDP phones and server stand-ins on other
 * loopback hosts: a MESSAGE (RFC 3428) forks to every device of the user and the sender gets one 200; an OPTIONS
 * reaches the user's device; a {@code message-summary} SUBSCRIBE (RFC 3842) goes to the configured voicemail server,
 * whose NOTIFYs come back through the node in the subscription's dialog until one terminates it (RFC 6665); a
 * presence SUBSCRIBE and a PUBLISH go to the configured presence server. Every AOR is used by one test only.
 */
class OutOfDialogRequestsTest {
    private static final int VOICEMAIL_PORT = FreePorts.udpAndTcp();
    private static final int PRESENCE_PORT = FreePorts.udpAndTcp();

    @RegisterExtension
    static final SingleNode node = SingleNode.of("out-of-dialog",
            List.of("twodevices@sip.test,pw", "probed@sip.test,pw", "away@sip.test,pw", "mailbox@sip.test,pw",
                    "watched@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off",
                    "switchboard.proxy.routes { \"event:message-summary\" = \"sip:127.0.0.3:" + VOICEMAIL_PORT + "\", "
                            + "\"event:presence\" = \"sip:127.0.0.4:" + PRESENCE_PORT + "\" }"));

    @Test
    void aMessageReachesEveryDeviceOfTheUserAndTheSenderGetsOne200() {
        try (DialogPhone sender = new DialogPhone("sender", node.address());
             DialogPhone desk = device("twodevices"); DialogPhone mobile = device("twodevices")) {
            DialogPhone.Sent message = sender.outOfDialog("MESSAGE", "sip:twodevices@sip.test", List.of(),
                    "text/plain", "lunch at noon?");
            SipRequest atDesk = desk.awaitRequest("MESSAGE");
            SipRequest atMobile = mobile.awaitRequest("MESSAGE");
            assertEquals("lunch at noon?", new String(atDesk.body()), "the desk phone gets the text");
            assertEquals("lunch at noon?", new String(atMobile.body()), "the mobile gets the text");
            assertEquals(message.callId(), atMobile.callId());

            mobile.answer(atMobile, 200, "OK");
            SipResponse ok = sender.await(message);
            assertEquals(200, ok.status(), "the first device to accept answers the sender");
            desk.answer(atDesk, 200, "OK"); // a second 2xx: a non-INVITE's later responses end at the proxy

            // a second MESSAGE in the same Call-ID passes the same entity after the desk's 200
            DialogPhone.Sent again = sender.request(message.callId(), "MESSAGE", List.of(), "text/plain", "or 1pm?");
            mobile.answer(mobile.awaitRequest("MESSAGE"), 200, "OK");
            assertEquals(200, sender.await(again).status());
            assertEquals(2, sender.received("SIP/2.0 200", message.callId()),
                    "one 200 per MESSAGE: the desk's late 200 did not reach the sender");
        }
    }

    @Test
    void anOptionsReachesTheUsersDeviceAndUnreachableUsersAreNamed() {
        try (DialogPhone sender = new DialogPhone("sender", node.address()); DialogPhone phone = device("probed")) {
            DialogPhone.Sent options = sender.outOfDialog("OPTIONS", "sip:probed@sip.test", List.of("Accept: application/sdp"),
                    null, null);
            SipRequest atPhone = phone.awaitRequest("OPTIONS");
            assertEquals("sip:" + phone.localAddress().getHostString() + ":" + phone.port(),
                    "sip:" + atPhone.requestUri().host() + ":" + atPhone.requestUri().port().orElse(5060),
                    "the OPTIONS is sent to the device's registered contact");
            phone.answer(atPhone, 200, "OK", List.of("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE"), null, null);
            SipResponse ok = sender.await(options);
            assertEquals(200, ok.status());
            assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE", ok.header("allow").orElseThrow(),
                    "the device's own capabilities reach the sender");

            assertEquals(480, sender.await(sender.outOfDialog("OPTIONS", "sip:away@sip.test", List.of(), null, null)).status(),
                    "a user with no device registered is temporarily unavailable");
            assertEquals(404, sender.await(sender.outOfDialog("OPTIONS", "sip:nobody@sip.test", List.of(), null, null)).status(),
                    "a user we do not have is not found");
            assertEquals(403, sender.await(sender.outOfDialog("MESSAGE", "sip:someone@elsewhere.example", List.of(),
                    "text/plain", "hi")).status(), "no route to another domain: not an open relay");
        }
    }

    @Test
    void aMessageSummarySubscriptionGoesToTheVoicemailServerAndItsNotifiesComeBackUntilTerminated() {
        try (DialogPhone phone = new DialogPhone("mailbox", node.address());
             DialogPhone voicemail = new DialogPhone("voicemail", node.address(), "127.0.0.3", VOICEMAIL_PORT)) {
            DialogPhone.Sent subscribe = phone.outOfDialog("SUBSCRIBE", "sip:mailbox@sip.test",
                    List.of("Event: message-summary", "Accept: application/simple-message-summary", "Expires: 3600"),
                    null, null);
            SipRequest atServer = voicemail.awaitRequest("SUBSCRIBE");
            assertEquals("sip:mailbox@sip.test", atServer.requestUriText(), "the server gets the mailbox's own URI");
            assertFalse(atServer.headers("record-route").isEmpty(), "the node stays in the subscription's dialog");
            voicemail.answer(atServer, 200, "OK", List.of("Expires: 3600"), null, null);
            assertEquals(200, phone.await(subscribe).status());

            DialogPhone.Sent waiting = voicemail.request(subscribe.callId(), "NOTIFY",
                    List.of("Event: message-summary", "Subscription-State: active;expires=3599"),
                    "application/simple-message-summary", "Messages-Waiting: yes\r\nVoice-Message: 2/8\r\n");
            SipRequest notify = phone.awaitRequest("NOTIFY");
            assertEquals("Messages-Waiting: yes\r\nVoice-Message: 2/8\r\n", new String(notify.body()),
                    "the message-waiting light's NOTIFY reaches the phone through the node");
            phone.answer(notify, 200, "OK");
            assertEquals(200, voicemail.await(waiting).status(), "and the phone's 200 goes back to the server");

            DialogPhone.Sent last = voicemail.request(subscribe.callId(), "NOTIFY",
                    List.of("Event: message-summary", "Subscription-State: terminated;reason=timeout"),
                    "application/simple-message-summary", "Messages-Waiting: no\r\n");
            phone.answer(phone.awaitRequest("NOTIFY"), 200, "OK");
            assertEquals(200, voicemail.await(last).status(), "the terminating NOTIFY is relayed");

            DialogPhone.Sent late = voicemail.request(subscribe.callId(), "NOTIFY",
                    List.of("Event: message-summary", "Subscription-State: active"), null, null);
            assertEquals(481, voicemail.await(late).status(), "a terminated subscription's dialog is gone");
            assertEquals(2, phone.received("NOTIFY", subscribe.callId()), "the phone got no NOTIFY after the end");
        }
    }

    @Test
    void presenceSubscriptionsAndPublicationsGoToThePresenceServerNotToTheDevices() {
        try (DialogPhone watcher = new DialogPhone("watcher", node.address()); DialogPhone watched = device("watched");
             DialogPhone presence = new DialogPhone("presence", node.address(), "127.0.0.4", PRESENCE_PORT)) {
            DialogPhone.Sent subscribe = watcher.outOfDialog("SUBSCRIBE", "sip:watched@sip.test",
                    List.of("Event: presence", "Accept: application/pidf+xml", "Expires: 600"), null, null);
            SipRequest atServer = presence.awaitRequest("SUBSCRIBE");
            assertEquals("sip:watched@sip.test", atServer.requestUriText());
            presence.answer(atServer, 200, "OK", List.of("Expires: 600"), null, null);
            assertEquals(200, watcher.await(subscribe).status());

            DialogPhone.Sent publish = watched.outOfDialog("PUBLISH", "sip:watched@sip.test",
                    List.of("Event: presence", "Expires: 600"), "application/pidf+xml", "<presence/>");
            SipRequest published = presence.awaitRequest("PUBLISH");
            presence.answer(published, 200, "OK", List.of("SIP-ETag: e1", "Expires: 600"), null, null);
            assertEquals(200, watched.await(publish).status(), "the device's PUBLISH reaches the presence server");
            assertTrue(!watched.hasReceived("SUBSCRIBE"), "the watched device was not asked: the server answers for it");
        }
    }

    private static DialogPhone device(String user) {
        DialogPhone phone = new DialogPhone(user, node.address());
        assertEquals(200, phone.register().status(), user + " registers");
        return phone;
    }
}
