package org.creneau.journal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.journal.AccessRecord.ActorKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What the journal says one actor did over a window, for an investigation: every entry it made (what
 * it read, wrote, was refused or withheld), in every chain, and the freezes containment made of the
 * journal because of it. Reads as the database owner, like {@link JournalVerifier}: the application's
 * role may only append.
 */
@Service
public class JournalTrail {

    /** One journal entry as it was appended, with where it sits in its chain. */
    public record Entry(
            long seq,
            String chain,
            long position,
            Instant at,
            ActorKind actorKind,
            UUID actorId,
            String actorRole,
            UUID grantId,
            UUID organizationId,
            String route,
            String purpose,
            String resourceType,
            List<UUID> resourceIds,
            List<String> fields,
            String outcome) {

        public Entry {
            resourceIds = List.copyOf(resourceIds);
            fields = List.copyOf(fields);
        }
    }

    /** A freeze of the journal made for an investigation (the guard's containment of an app). */
    public record Freeze(UUID organizationId, UUID actorId, long checkpoint, Instant at, String reason) {}

    /** The entries of one actor (an account or an app, by id) in {@code [from, to)}, in time order. */
    public List<Entry> of(DataSource reader, ActorKind kind, UUID actorId, Instant from, Instant to) {
        return JdbcClient.create(reader)
                .sql("""
                        SELECT seq, chain_id, chain_seq, recorded_at, actor_kind, actor_id, actor_role, grant_id,
                               organization_id, route, purpose, resource_type, resource_ids, fields, outcome
                          FROM journal_entry
                         WHERE actor_id = :actor AND actor_kind = :kind AND recorded_at >= :from AND recorded_at < :to
                         ORDER BY recorded_at, seq
                        """)
                .param("actor", actorId)
                .param("kind", kind.name())
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, i) -> entry(rs))
                .list();
    }

    /** The freezes made because of one actor at or after {@code from}, oldest first. */
    public List<Freeze> freezes(DataSource reader, UUID actorId, Instant from) {
        return JdbcClient.create(reader)
                .sql("""
                        SELECT organization_id, actor_id, up_to_seq, frozen_at, reason FROM journal_freeze
                         WHERE actor_id = :actor AND frozen_at >= :from ORDER BY frozen_at
                        """)
                .param("actor", actorId)
                .param("from", from.atOffset(ZoneOffset.UTC))
                .query((rs, i) -> new Freeze(
                        rs.getObject("organization_id", UUID.class),
                        rs.getObject("actor_id", UUID.class),
                        rs.getLong("up_to_seq"),
                        rs.getObject("frozen_at", OffsetDateTime.class).toInstant(),
                        rs.getString("reason")))
                .list();
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(
                rs.getLong("seq"),
                rs.getString("chain_id"),
                rs.getLong("chain_seq"),
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                ActorKind.valueOf(rs.getString("actor_kind")),
                rs.getObject("actor_id", UUID.class),
                rs.getString("actor_role"),
                rs.getObject("grant_id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getString("route"),
                rs.getString("purpose"),
                rs.getString("resource_type"),
                uuids(rs.getArray("resource_ids")),
                Arrays.asList((String[]) rs.getArray("fields").getArray()),
                rs.getString("outcome"));
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return Arrays.asList((UUID[]) array.getArray());
    }
}
