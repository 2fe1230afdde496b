package org.switchboard.registrar;

import java.util.List;
import java.util.Locale;

import org.switchboard.sip.SipRequest;

import com.typesafe.config.Config;

/**
 * What a 200 to REGISTER tells a phone about reaching the network: the Service-Route its requests should
 * pre-load (RFC 3608), and, for a phone that asked for RFC 5626 outbound, how often to send keep-alives on its
 * flow ({@code Flow-Timer}).
 *
 * @param serviceRoute    Service-Route values, in order; empty for none
 * @param flowTimerSeconds keep-alive interval announced to outbound phones (RFC 5626 §6); 0 announces none
 */
public record EdgeOptions(List<String> serviceRoute, int flowTimerSeconds) {
    public static final EdgeOptions NONE = new EdgeOptions(List.of(), 0);

    public EdgeOptions {
        serviceRoute = List.copyOf(serviceRoute);
    }

    static EdgeOptions fromConfig(Config registrar) {
        return new EdgeOptions(registrar.getStringList("service-route").stream().map(EdgeOptions::asRoute).toList(),
                (int) registrar.getDuration("flow-timer").toSeconds());
    }

    /**
     * RFC 5626 §6: a REGISTER that supports outbound and binds a contact with {@code reg-id} and
     * {@code +sip.instance} asked for a flow; the 200 then carries {@code Require: outbound} and the Flow-Timer.
     */
    boolean wantsFlow(SipRequest register) {
        boolean supports = register.headers("supported").stream().flatMap(v -> List.of(v.split(",")).stream())
                .anyMatch(o -> o.trim().toLowerCase(Locale.ROOT).equals("outbound"));
        boolean flowContact = register.contacts().stream().anyMatch(c -> c.params().get("reg-id").isPresent()
                && c.params().get("+sip.instance").isPresent());
        return flowTimerSeconds > 0 && supports && flowContact;
    }

    private static String asRoute(String uri) {
        return uri.startsWith("<") ? uri : "<" + uri + ">";
    }
}
