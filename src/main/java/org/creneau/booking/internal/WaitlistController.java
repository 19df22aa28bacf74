package org.creneau.booking.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.journal.NotJournaled;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A patient on a practitioner's waiting list for a motive. */
@RestController
class WaitlistController {

    /** Why a patient's own waitlist is not journaled. */
    static final String WAITING_IS_NOT_AN_ACCESS = "the caller's own wishes for an earlier slot (an offered"
            + " appointment appears by identifier only); no staff or app reads here, so the patient's access log"
            + " has nothing to show";

    private final Waitlist waitlist;
    private final AccessPolicy policy;

    WaitlistController(Waitlist waitlist, AccessPolicy policy) {
        this.waitlist = waitlist;
        this.policy = policy;
    }

    record JoinBody(@NotNull UUID practitionerId, @NotNull UUID motiveId, UUID relativeId) {}

    record EntryView(
            UUID id,
            UUID practitionerId,
            UUID motiveId,
            UUID patientId,
            String status,
            UUID offeredAppointmentId,
            Instant since) {
        static EntryView of(Waitlist.Entry e) {
            return new EntryView(
                    e.id(),
                    e.practitionerId(),
                    e.motiveId(),
                    e.patientId(),
                    e.status(),
                    e.offeredAppointmentId(),
                    e.createdAt());
        }
    }

    @NotJournaled(WAITING_IS_NOT_AN_ACCESS)
    @PostMapping("/api/v1/waitlist")
    ResponseEntity<EntryView> join(@Valid @RequestBody JoinBody body) {
        Waitlist.Entry entry =
                waitlist.join(policy.requirePatient(), body.practitionerId(), body.motiveId(), body.relativeId());
        return ResponseEntity.status(201).body(EntryView.of(entry));
    }

    @NotJournaled(WAITING_IS_NOT_AN_ACCESS)
    @GetMapping("/api/v1/me/waitlist")
    List<EntryView> mine() {
        return waitlist.mine(policy.requirePatient()).stream()
                .map(EntryView::of)
                .toList();
    }

    @NotJournaled(WAITING_IS_NOT_AN_ACCESS)
    @DeleteMapping("/api/v1/me/waitlist/{id}")
    ResponseEntity<Void> withdraw(@PathVariable UUID id) {
        waitlist.withdraw(policy.requirePatient(), id);
        return ResponseEntity.noContent().build();
    }
}
