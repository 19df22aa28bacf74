package org.creneau.patients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.RecordChange;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The history of patients (V43: written by a trigger in the transaction of every change, with its
 * author from the transaction's settings): entries of an organization's patient file ({@code Patient})
 * and the people behind patient accounts ({@code Person}). What changed between two times and by whom,
 * and, for an investigation, every change one actor made.
 */
@Service
public class PatientHistory {

    /** The most changes one answer lists. */
    public static final int MAX_ROWS = 1000;

    private final TenantScope scope;
    private final JdbcClient jdbc;

    PatientHistory(TenantScope scope, JdbcClient jdbc) {
        this.scope = scope;
        this.jdbc = jdbc;
    }

    /** What changed in the caller's organization's patient file in {@code [from, to)}, and by whom, oldest first. */
    public List<RecordChange> between(Caller caller, Instant from, Instant to) {
        return scope.read(
                caller,
                () -> jdbc.sql(CHANGES + " WHERE h.organization_id = access_org() AND h.changed_at >= :from"
                                + " AND h.changed_at < :to ORDER BY h.changed_at, h.id LIMIT " + MAX_ROWS)
                        .param("from", from.atOffset(ZoneOffset.UTC))
                        .param("to", to.atOffset(ZoneOffset.UTC))
                        .query((rs, i) -> change(rs))
                        .list());
    }

    /**
     * Every change made by one actor (an account, or an app: its id) in {@code [from, to)}, oldest first.
     * For an investigation: {@code reader} is a connection of the database owner, which sees across
     * organizations, as the journal's verification does.
     */
    public List<RecordChange> changedBy(DataSource reader, UUID actorId, Instant from, Instant to) {
        return JdbcClient.create(reader)
                .sql(CHANGES + " WHERE h.actor_id = :actor AND h.changed_at >= :from AND h.changed_at < :to"
                        + " ORDER BY h.changed_at, h.id")
                .param("actor", actorId)
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, i) -> change(rs))
                .list();
    }

    private static final String CHANGES = """
            SELECT h.record_kind, h.record_id, h.organization_id, h.changed_at, h.operation, h.actor_kind, h.actor_id,
                   h.grant_id, h.fields, h.before::text AS before_json, h.after::text AS after_json
              FROM patient_history h
            """;

    private static RecordChange change(ResultSet rs) throws SQLException {
        return new RecordChange(
                "ORG_PATIENT".equals(rs.getString("record_kind")) ? "Patient" : "Person",
                rs.getObject("record_id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("changed_at", OffsetDateTime.class).toInstant(),
                rs.getString("operation"),
                rs.getString("actor_kind"),
                rs.getObject("actor_id", UUID.class),
                rs.getObject("grant_id", UUID.class),
                Arrays.asList((String[]) rs.getArray("fields").getArray()),
                rs.getString("before_json"),
                rs.getString("after_json"));
    }
}
