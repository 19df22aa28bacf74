package org.creneau.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.patients.OrgPatients;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An agenda's waiting list as its staff see it (the JSON API and the workspace page alike): who waits,
 * for which motive, since when, in the order a freed slot is offered, and the offers made with the
 * time they lapse. Needs the right to see the agenda's appointments; without it the agenda does not
 * exist for the caller.
 */
@Service
public class AgendaWaitlist {

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final AgendaRights rights;
    private final OrgPatients orgPatients;

    AgendaWaitlist(JdbcClient jdbc, TenantScope scope, AgendaRights rights, OrgPatients orgPatients) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.rights = rights;
        this.orgPatients = orgPatients;
    }

    /** Where an entry stands: waiting its turn, or offered a slot held for it until {@code offerExpiresAt}. */
    public enum State {
        WAITING,
        OFFERED
    }

    /**
     * One person on the list.
     *
     * @param offeredAppointmentId the slot held for them, when {@link State#OFFERED}
     * @param offerExpiresAt when that hold lapses and the slot goes to the next in line
     */
    public record Waiting(
            UUID id,
            UUID motiveId,
            UUID orgPatientId,
            String patientFirstName,
            String patientLastName,
            State state,
            Instant since,
            UUID offeredAppointmentId,
            Instant offerExpiresAt) {}

    /** The agenda's live entries, first in line first (the order offers follow), a page at a time. */
    public Page<Waiting> ofAgenda(Caller.Staff staff, UUID practitionerId, Paging paging) {
        return scope.read(staff, () -> {
            rights.require(staff, practitionerId, AgendaRight.VIEW_APPOINTMENTS);
            List<Row> rows = jdbc.sql("""
                            SELECT w.id, w.motive_id, w.org_patient_id, w.status, w.created_at,
                                   w.offered_appointment_id, a.hold_expires_at
                              FROM waitlist_entry w
                              LEFT JOIN appointment a ON a.id = w.offered_appointment_id AND w.status = 'OFFERED'
                             WHERE w.practitioner_id = :p AND w.status IN ('WAITING', 'OFFERED')
                             ORDER BY w.created_at, w.queue_number
                             LIMIT :limit OFFSET :offset
                            """)
                    .param("p", practitionerId)
                    .param("limit", paging.size())
                    .param("offset", paging.offset())
                    .query((rs, i) -> row(rs))
                    .list();
            long total = jdbc.sql("SELECT count(*) FROM waitlist_entry WHERE practitioner_id = :p"
                            + " AND status IN ('WAITING', 'OFFERED')")
                    .param("p", practitionerId)
                    .query(Long.class)
                    .single();
            // The names from their owner, in one read for the whole page.
            Map<UUID, OrgPatients.OrgPatient> patients = orgPatients.byIds(rows.stream()
                    .map(Row::orgPatientId)
                    .filter(Objects::nonNull)
                    .toList());
            List<Waiting> items = rows.stream()
                    .map(r -> {
                        OrgPatients.OrgPatient p = r.orgPatientId() == null ? null : patients.get(r.orgPatientId());
                        return new Waiting(
                                r.id(),
                                r.motiveId(),
                                r.orgPatientId(),
                                p == null ? null : p.firstName(),
                                p == null ? null : p.lastName(),
                                r.state(),
                                r.since(),
                                r.offeredAppointmentId(),
                                r.offerExpiresAt());
                    })
                    .toList();
            return Page.of(items, paging, total);
        });
    }

    /**
     * The offers of a slot that lapsed before another waiter took it: the expired holds made for
     * earlier waiters at the same agenda and start as the appointment given, which those waiters are
     * told is gone. Empty when the appointment was not a waiting-list slot. Runs as the organization.
     */
    public List<UUID> lapsedOffersOfTheSameSlot(Caller.System organization, UUID takenAppointmentId) {
        return scope.read(
                organization,
                () -> jdbc.sql("""
                                SELECT o.id
                                  FROM appointment taken
                                  JOIN appointment o ON o.practitioner_id = taken.practitioner_id
                                                    AND o.start_at = taken.start_at AND o.id <> taken.id
                                 WHERE taken.id = :taken AND o.status = 'EXPIRED'
                                   AND EXISTS (SELECT 1 FROM waitlist_entry w WHERE w.offered_appointment_id = o.id)
                                   AND EXISTS (SELECT 1 FROM waitlist_entry w WHERE w.offered_appointment_id = taken.id)
                                """)
                        .param("taken", takenAppointmentId)
                        .query(UUID.class)
                        .list());
    }

    private record Row(
            UUID id,
            UUID motiveId,
            UUID orgPatientId,
            State state,
            Instant since,
            UUID offeredAppointmentId,
            Instant offerExpiresAt) {}

    private static Row row(ResultSet rs) throws SQLException {
        OffsetDateTime expires = rs.getObject("hold_expires_at", OffsetDateTime.class);
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getObject("motive_id", UUID.class),
                rs.getObject("org_patient_id", UUID.class),
                State.valueOf(rs.getString("status")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("offered_appointment_id", UUID.class),
                expires == null ? null : expires.toInstant());
    }
}
