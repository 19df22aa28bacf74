package org.creneau.availability.internal;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.platform.TimeWindow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of availability. Called inside a {@code TenantScope}. */
@Repository
public class AvailabilityRepository {

    private final JdbcClient jdbc;

    AvailabilityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The agendas' opening ranges with their motives: one row per range and motive (a range without
     * motive gives one row with none), grouped here; an array column would be parsed from text.
     */
    public List<OpeningRange> rangesOf(Collection<UUID> practitionerIds) {
        Map<UUID, OpeningRange> ranges = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT r.id, r.practitioner_id, r.site_id, r.weekday, r.start_time, r.end_time,
                               r.valid_from, r.valid_until, m.motive_id
                          FROM opening_range r
                          LEFT JOIN opening_range_motive m
                            ON m.organization_id = r.organization_id AND m.opening_range_id = r.id
                         WHERE r.practitioner_id = ANY(:ids)
                        """).param("ids", practitionerIds.toArray(UUID[]::new)).query(rs -> {
            UUID id = rs.getObject("id", UUID.class);
            OpeningRange range = ranges.get(id);
            if (range == null) {
                range = new OpeningRange(
                        id,
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("site_id", UUID.class),
                        DayOfWeek.of(rs.getInt("weekday")),
                        rs.getObject("start_time", LocalTime.class),
                        rs.getObject("end_time", LocalTime.class),
                        rs.getObject("valid_from", LocalDate.class),
                        rs.getObject("valid_until", LocalDate.class),
                        new HashSet<>());
                ranges.put(id, range);
            }
            UUID motive = rs.getObject("motive_id", UUID.class);
            if (motive != null) {
                range.motiveIds().add(motive);
            }
        });
        return List.copyOf(ranges.values());
    }

    /** Busy time of the given agendas, through the one cross-organization function. */
    public List<BusyPeriod> busy(
            Collection<UUID> practitionerIds, TimeWindow window, Instant now, UUID excludedAppointment) {
        return jdbc.sql("SELECT practitioner_id, start_at, end_at FROM busy_periods(:ids, :from, :to, :now, :exclude)")
                .param("ids", practitionerIds.toArray(UUID[]::new))
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .param("now", utc(now))
                .param("exclude", excludedAppointment, java.sql.Types.OTHER)
                .query((rs, i) -> new BusyPeriod(
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("end_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    public void insertRange(
            UUID id,
            UUID organizationId,
            UUID practitionerId,
            UUID siteId,
            DayOfWeek weekday,
            LocalTime start,
            LocalTime end,
            LocalDate validFrom,
            LocalDate validUntil,
            Collection<UUID> motiveIds) {
        jdbc.sql("""
                        INSERT INTO opening_range (id, organization_id, practitioner_id, site_id, weekday, start_time,
                                                   end_time, valid_from, valid_until)
                        VALUES (:id, :org, :practitioner, :site, :weekday, :start, :end, :from, :until)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("site", siteId)
                .param("weekday", weekday.getValue())
                .param("start", start)
                .param("end", end)
                .param("from", validFrom)
                .param("until", validUntil)
                .update();
        for (UUID motive : motiveIds) {
            jdbc.sql(
                            "INSERT INTO opening_range_motive (organization_id, opening_range_id, motive_id) VALUES (:org, :r, :m)")
                    .param("org", organizationId)
                    .param("r", id)
                    .param("m", motive)
                    .update();
        }
    }

    public void insertAbsence(
            UUID id, UUID organizationId, UUID practitionerId, Instant from, Instant to, String reason) {
        jdbc.sql("""
                        INSERT INTO absence (id, organization_id, practitioner_id, period, reason)
                        VALUES (:id, :org, :practitioner, tstzrange(:from, :to, '[)'), :reason)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("from", utc(from))
                .param("to", utc(to))
                .param("reason", reason)
                .update();
    }

    /** An absence as staff of its organization see it. */
    public record AbsenceRow(UUID id, UUID practitionerId, Instant from, Instant to, String reason) {}

    public List<AbsenceRow> absencesOf(UUID practitionerId, TimeWindow window) {
        return jdbc.sql("""
                        SELECT id, practitioner_id, lower(period) AS from_at, upper(period) AS to_at, reason FROM absence
                         WHERE practitioner_id = :p AND period && tstzrange(:from, :to)
                         ORDER BY lower(period) LIMIT 500
                        """)
                .param("p", practitionerId)
                .param("from", utc(window.from()))
                .param("to", utc(window.to()))
                .query((rs, i) -> new AbsenceRow(
                        rs.getObject("id", UUID.class),
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("from_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("to_at", OffsetDateTime.class).toInstant(),
                        rs.getString("reason")))
                .list();
    }

    public int deleteAbsence(UUID practitionerId, UUID absenceId) {
        return jdbc.sql("DELETE FROM absence WHERE id = :id AND practitioner_id = :p")
                .param("id", absenceId)
                .param("p", practitionerId)
                .update();
    }

    /**
     * Serializes the changes of one agenda's opening ranges until the transaction ends, so the sites
     * read after a change ({@link #rangeSites}) see every committed one.
     */
    public void lockRanges(UUID practitionerId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('opening-ranges:' || :p, 0))")
                .param("p", practitionerId.toString())
                .query()
                .singleRow();
    }

    /** The sites an agenda's opening ranges are at. */
    public List<UUID> rangeSites(UUID practitionerId) {
        return jdbc.sql("SELECT DISTINCT site_id FROM opening_range WHERE practitioner_id = :p")
                .param("p", practitionerId)
                .query(UUID.class)
                .list();
    }

    public int deleteRange(UUID practitionerId, UUID rangeId) {
        return jdbc.sql("DELETE FROM opening_range WHERE id = :id AND practitioner_id = :p")
                .param("id", rangeId)
                .param("p", practitionerId)
                .update();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }
}
