package org.switchboard.registrar;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.transport.LogSafe;

/**
 * One INFO line per change of an AOR's registrations, written once the change is in the journal: a binding added
 * (a refresh of a known one is not a change) or removed (by the phone, by expiry, by the operator), and one per
 * failed authentication. Each puts the AOR into the MDC itself: the changes are logged from the journal's answer,
 * which Akka's MDC interceptor on the entity ({@link Registration#create}) does not see. What comes from the phone
 * is escaped ({@link LogSafe}); credentials never appear.
 */
final class RegistrationLog {
    static final String MDC_KEY = "aor";
    private static final Logger log = LoggerFactory.getLogger("org.switchboard.registrations");

    private RegistrationLog() {
    }

    static void changed(String aor, Map<String, ContactBinding> before, List<RegistrationEvent> events, long nowMillis) {
        if (!log.isInfoEnabled()) {
            return;
        }
        MDC.put(MDC_KEY, LogSafe.text(aor));
        try {
            logChanges(before, events, nowMillis);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    private static void logChanges(Map<String, ContactBinding> before, List<RegistrationEvent> events, long nowMillis) {
        for (RegistrationEvent e : events) {
            if (e instanceof RegistrationEvent.BindingSaved s && !before.containsKey(s.key())) {
                ContactBinding b = s.binding();
                log.info("binding added contact={} expires={}s source={} transport={}", LogSafe.text(b.contact()),
                        Math.max(0, b.expiresAtMillis() - nowMillis) / 1000, b.source(), b.transport());
            } else if (e instanceof RegistrationEvent.BindingRemoved r) {
                ContactBinding b = before.get(r.key());
                log.info("binding removed contact={} reason={}", LogSafe.text(b == null ? r.key() : b.contact()),
                        LogSafe.text(r.reason()));
            }
        }
    }

    /** Called while the entity handles the request: the MDC is its own. */
    static void authenticationFailed(String method, Object source) {
        log.info("authentication failed method={} source={}", method, source);
    }
}
