package org.creneau.journal.internal;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.creneau.access.AccessPolicy;
import org.creneau.journal.Journal;
import org.creneau.platform.RequestRefused;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records refused attempts on appointments and patient-file entries (404: absent or not the
 * caller's; 403), before the refusal is sent: sweeping identifiers leaves a trace even when
 * nothing is returned.
 */
@Component
class RefusalRecorder {

    private static final Pattern APPOINTMENT = Pattern.compile("/appointments/([0-9a-fA-F-]{36})");
    private static final Pattern PATIENT = Pattern.compile("/staff/patients/([0-9a-fA-F-]{36})");

    private final Journal journal;
    private final AccessPolicy policy;

    RefusalRecorder(Journal journal, AccessPolicy policy) {
        this.journal = journal;
        this.policy = policy;
    }

    @EventListener
    void on(RequestRefused refused) {
        String type = null;
        Matcher m = APPOINTMENT.matcher(refused.path());
        if (m.find()) {
            type = "Appointment";
        } else {
            m = PATIENT.matcher(refused.path());
            if (m.find()) {
                type = "Patient";
            }
        }
        if (type == null) {
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(m.group(1));
        } catch (IllegalArgumentException e) {
            return;
        }
        journal.record(
                policy.currentCaller(),
                refused.method() + " " + refused.path().replace(m.group(1), "{id}"),
                "refused",
                type,
                List.of(id),
                List.of(),
                refused.status() == 404 ? "NOT_FOUND" : "FORBIDDEN");
    }
}
