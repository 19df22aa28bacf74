package org.creneau.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A patient-file entry's appointments in the caller's organization, for its staff: those still to
 * come and those past, on the agendas whose appointments the caller may see (the others are not
 * listed, as the agenda itself would not be shown). Bounded in time and in number.
 */
@Service
public class PatientAppointments {

    /** How far back and ahead the file looks. */
    public static final Duration BACK = Duration.ofDays(3 * 365);

    public static final Duration AHEAD = Duration.ofDays(2 * 365);

    /** At most this many each way. */
    public static final int MAX_EACH = 100;

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final AgendaRights rights;
    private final Clock clock;

    PatientAppointments(JdbcClient jdbc, TenantScope scope, AgendaRights rights, Clock clock) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.rights = rights;
        this.clock = clock;
    }

    /** One appointment of the patient's, with what the file shows of it. */
    public record Visit(
            UUID id,
            UUID practitionerId,
            UUID siteId,
            UUID motiveId,
            AppointmentStatus status,
            Instant start,
            Instant end,
            String cancelReason) {}

    /** Upcoming soonest first, past latest first; lapsed holds are left out. */
    public record History(List<Visit> upcoming, List<Visit> past) {}

    /** Needs the right to see appointments on at least one agenda, like opening the file (else not found). */
    public History of(Caller.Staff staff, UUID orgPatientId) {
        return scope.read(staff, () -> {
            List<UUID> agendas = rights.agendasWith(staff, AgendaRight.VIEW_APPOINTMENTS);
            if (agendas.isEmpty()) {
                throw new NotFoundException("patient file");
            }
            Instant now = clock.instant();
            UUID[] seen = agendas.toArray(UUID[]::new);
            List<Visit> upcoming = jdbc.sql(SELECT + " AND start_at >= :now AND start_at < :until"
                            + " ORDER BY start_at, id LIMIT :limit")
                    .param("patient", orgPatientId)
                    .param("agendas", seen)
                    .param("now", utc(now))
                    .param("until", utc(now.plus(AHEAD)))
                    .param("limit", MAX_EACH)
                    .query((rs, i) -> visit(rs))
                    .list();
            List<Visit> past = jdbc.sql(SELECT + " AND start_at < :now AND start_at >= :since"
                            + " ORDER BY start_at DESC, id LIMIT :limit")
                    .param("patient", orgPatientId)
                    .param("agendas", seen)
                    .param("now", utc(now))
                    .param("since", utc(now.minus(BACK)))
                    .param("limit", MAX_EACH)
                    .query((rs, i) -> visit(rs))
                    .list();
            return new History(upcoming, past);
        });
    }

    private static final String SELECT = """
            SELECT id, practitioner_id, site_id, motive_id, status, start_at, end_at, cancel_reason
              FROM appointment
             WHERE org_patient_id = :patient AND practitioner_id = ANY (:agendas) AND status <> 'EXPIRED'
            """;

    private static Visit visit(ResultSet rs) throws SQLException {
        return new Visit(
                rs.getObject("id", UUID.class),
                rs.getObject("practitioner_id", UUID.class),
                rs.getObject("site_id", UUID.class),
                rs.getObject("motive_id", UUID.class),
                AppointmentStatus.valueOf(rs.getString("status")),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                rs.getString("cancel_reason"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
