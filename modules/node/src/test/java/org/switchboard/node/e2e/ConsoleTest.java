package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The web console in a real headless Chromium against a node in its own JVM, SIPp as the phones: the page served
 * without the token asks for one when it has a wrong one; with the right one it shows the cluster, finds a phone's
 * registration by search, lists a call while it is up and drops it once the operator hung it up (through the API),
 * and its charts have the edge's figures. A screenshot of it goes to target/console.png (docs/console.png is one).
 */
class ConsoleTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    private static final Duration SHOWN = Duration.ofSeconds(15);
    @RegisterExtension
    static final SingleNode node = SingleNode.of("console", List.of("alice@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void thePageShowsARegistrationAndACallWhileItIsUp() throws Exception {
        AdminHttp admin = AdminHttp.of(node.work().resolve("data"));
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(admin.base() + "/console")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), "the page needs no token");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));

        int phonePort = CallScenariosTest.register(node, "alice");
        try (HeadlessChromium browser = HeadlessChromium.start(node.work(), 1400, 1300)) {
            browser.open(admin.base() + "/console#token=not-the-token-not-the-token");
            Await.until("the page asks for a token", SHOWN, () -> browser.eval(
                    "!document.getElementById('token-form').classList.contains('hidden')").asBoolean(false),
                    browser::log);

            browser.open("about:blank");
            browser.open(admin.base() + "/console#token=" + admin.token());
            shows(browser, "members", "Up");
            assertTrue(browser.text("members").contains("core"), browser.text("members"));
            assertTrue(browser.text("journal").contains("healthy"), browser.text("journal"));
            assertEquals("", browser.eval("location.hash").asText(), "the token is taken out of the address");

            browser.eval("(e => { e.value = 'ALICE'; e.dispatchEvent(new Event('input')); })"
                    + "(document.getElementById('reg-search'))");
            shows(browser, "reg-body", "alice@sip.test");
            assertTrue(browser.text("reg-body").contains("REGISTERED"), browser.text("reg-body"));
            shows(browser, "bindings-body", "127.0.0.1:" + phonePort);
            JsonNode found = admin.get("/registrations?search=Alice%40SIP&limit=5").json();
            assertEquals("alice@sip.test", found.path("aors").get(0).path("aor").asText(), found.toString());
            assertEquals(1, found.path("aors").get(0).path("bindings").asInt(), found.toString());
            assertEquals(0, admin.get("/registrations?search=nobody").json().path("aors").size());

            Path csv = TestFiles.write(node.work().resolve("callee-alice.csv"), List.of("SEQUENTIAL", "alice;sip.test"));
            Path uac = Sipp.testScenario(node.work(), "uac_session_expires.xml", Map.of("SE", "1800"));
            Path uas = Sipp.testScenario(node.work(), "uas_session_expires.xml", Map.of());
            try (Sipp callee = Sipp.start(node.work(), "uas-alice", null, uas, phonePort, "-m", "1", "-trace_msg");
                 Sipp caller = Sipp.start(node.work(), "uac-alice", node.address(), uac, FreePorts.udpAndTcp(),
                         "-inf", csv.toString(), "-m", "1", "-trace_msg")) {
                shows(browser, "calls-body", "alice@sip.test");
                String callId = browser.eval("document.querySelector('#calls-body tr').dataset.callId").asText();
                JsonNode listed = admin.get("/calls").json().path("calls");
                assertTrue(StreamSupport.stream(listed.spliterator(), false)
                        .anyMatch(c -> c.path("callId").asText().equals(callId)), callId + " not in " + listed);
                browser.eval("(e => { e.value = '" + callId.substring(0, 6) + "'; e.dispatchEvent(new Event('input')); })"
                        + "(document.getElementById('calls-search'))");
                shows(browser, "calls-count", "1 match");

                // the charts' figures: this node's edge saw the REGISTER, the INVITE and its 200
                Await.until("the call's answer in the activity", SHOWN, () -> {
                    JsonNode s = admin.get("/activity").json().path("series");
                    return sum(s.path("registers")) >= 1 && sum(s.path("invites")) >= 1
                            && sum(s.path("answered")) >= 1 && sum(s.path("finals")) >= 1
                            && StreamSupport.stream(s.path("setupP50Ms").spliterator(), false)
                                    .anyMatch(JsonNode::isNumber);
                }, () -> admin.get("/activity").body());
                shows(browser, "chart-calls", "answered/s");
                Await.until("the charts drew lines", SHOWN, () -> browser.eval(
                        "document.querySelectorAll('#chart-calls path, #chart-latency path').length").asInt() >= 3,
                        () -> browser.eval("document.getElementById('chart-calls').outerHTML").asText());
                browser.eval("(e => { e.value = ''; e.dispatchEvent(new Event('input')); })"
                        + "(document.getElementById('calls-search'))");
                Await.until("the whole list again", SHOWN, () -> !browser.text("calls-count").contains("match"),
                        () -> browser.text("calls-count"));
                shows(browser, "calls-body", "alice@sip.test");
                browser.screenshot(Path.of("target", "console.png"));

                assertEquals(204, admin.delete("/calls/" + AdminHttp.encoded(callId)).status());
                Await.until("the call gone from the page", SHOWN,
                        () -> browser.text("calls-empty").contains("No call is up")
                                && !browser.text("calls-body").contains(callId),
                        () -> browser.text("calls"));
                assertEquals(1, caller.await(SIPP).successful(), "the caller got the BYE");
                assertEquals(1, callee.await(SIPP).successful(), "the callee got the BYE");
            }
        }
    }

    /** Waits until the element with this id shows {@code text}. */
    private static void shows(HeadlessChromium browser, String id, String text) {
        Await.until("#" + id + " to show " + text, SHOWN, () -> browser.text(id).contains(text),
                () -> "#" + id + ": " + browser.text(id) + "\nstatus: " + browser.text("status") + "\n"
                        + node.process().tail());
    }

    private static long sum(JsonNode values) {
        long total = 0;
        for (JsonNode v : values) {
            total += v.asLong();
        }
        return total;
    }
}
