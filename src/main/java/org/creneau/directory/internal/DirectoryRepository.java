package org.creneau.directory.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.directory.BookingRules;
import org.creneau.directory.CityKey;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.Organization;
import org.creneau.directory.Place;
import org.creneau.directory.Practitioner;
import org.creneau.directory.SearchCandidate;
import org.creneau.directory.Site;
import org.creneau.directory.Specialty;
import org.creneau.directory.VisitMotive;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the directory. Called inside a {@code TenantScope}. */
@Repository
public class DirectoryRepository {

    private static final String PRACTITIONER_COLUMNS = """
            p.id, p.organization_id, o.name AS organization_name, p.first_name, p.last_name, p.rpps,
            p.specialty_code, sp.label AS specialty_label, p.languages, p.accepts_new_patients,
            p.min_notice_minutes, p.horizon_days, p.cancellation_cutoff_hours
            """;
    private static final String PRACTITIONER_FROM = """
            FROM practitioner p
            JOIN organization o ON o.id = p.organization_id
            JOIN specialty sp ON sp.code = p.specialty_code
            """;
    private static final String SITE_COLUMNS =
            "s.id AS site_id, s.organization_id AS site_org, s.name AS site_name, s.address_line, s.postcode,"
                    + " s.city, s.latitude, s.longitude, s.time_zone";

    private final JdbcClient jdbc;

    DirectoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Specialty> specialties() {
        return jdbc.sql("SELECT code, label FROM specialty ORDER BY position")
                .query((rs, i) -> new Specialty(rs.getString("code"), rs.getString("label")))
                .list();
    }

    public Optional<Organization> organization(UUID id) {
        return jdbc.sql("SELECT id, name, kind FROM organization WHERE id = :id")
                .param("id", id)
                .query((rs, i) -> new Organization(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        DirectoryAdministration.OrganizationKind.valueOf(rs.getString("kind"))))
                .optional();
    }

    public Optional<Practitioner> practitioner(UUID id) {
        return jdbc.sql("SELECT " + PRACTITIONER_COLUMNS + PRACTITIONER_FROM + " WHERE p.id = :id")
                .param("id", id)
                .query((rs, i) -> practitioner(rs))
                .optional();
    }

    /** Whether any organization exists. */
    public boolean anyOrganization() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM organization)")
                .query(Boolean.class)
                .single();
    }

    /** Organizations' ids in id order, after {@code after}, at most {@code limit}. */
    public List<UUID> organizationIds(UUID after, int limit) {
        return jdbc.sql("SELECT id FROM organization WHERE id > :after ORDER BY id LIMIT :limit")
                .param("after", after)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /**
     * An organization's agendas, each with its first motive and one site (one where the practitioner
     * consults, when there is one), by practitioner id, at most {@code limit}.
     */
    public List<Directory.AgendaOutline> agendaOutlines(UUID organizationId, int limit) {
        return jdbc.sql("""
                        SELECT p.id AS practitioner_id, p.specialty_code, m.id AS motive_id, m.duration_minutes,
                               s.id AS site_id, s.time_zone
                          FROM practitioner p
                          JOIN LATERAL (SELECT vm.id, vm.duration_minutes FROM visit_motive vm
                                         WHERE vm.organization_id = p.organization_id AND vm.practitioner_id = p.id
                                         ORDER BY vm.position, vm.id LIMIT 1) m ON true
                          JOIN LATERAL (SELECT st.id, st.time_zone FROM site st
                                         WHERE st.organization_id = p.organization_id
                                         ORDER BY EXISTS (SELECT 1 FROM practitioner_site ps
                                                           WHERE ps.practitioner_id = p.id AND ps.site_id = st.id) DESC,
                                                  st.id
                                         LIMIT 1) s ON true
                         WHERE p.organization_id = :org
                         ORDER BY p.id
                         LIMIT :limit
                        """)
                .param("org", organizationId)
                .param("limit", limit)
                .query((rs, i) -> new Directory.AgendaOutline(
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getString("specialty_code"),
                        rs.getObject("motive_id", UUID.class),
                        Duration.ofMinutes(rs.getInt("duration_minutes")),
                        rs.getObject("site_id", UUID.class),
                        ZoneId.of(rs.getString("time_zone"))))
                .list();
    }

    /** The practitioners the current transaction sees, by name then id. */
    public List<UUID> practitionerIdsByName(int limit) {
        return jdbc.sql("SELECT p.id FROM practitioner p ORDER BY p.last_name, p.id LIMIT :limit")
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    public List<Site> sitesOf(UUID practitionerId) {
        return jdbc.sql(
                        "SELECT " + SITE_COLUMNS + " FROM site s WHERE s.id IN "
                                + "(SELECT ps.site_id FROM practitioner_site ps WHERE ps.practitioner_id = :id) ORDER BY s.name, s.id")
                .param("id", practitionerId)
                .query((rs, i) -> site(rs))
                .list();
    }

    /** An organization's sites, by name. */
    public List<Site> sitesOfOrganization(UUID organizationId) {
        return jdbc.sql("SELECT " + SITE_COLUMNS + " FROM site s WHERE s.organization_id = :org ORDER BY s.name, s.id")
                .param("org", organizationId)
                .query((rs, i) -> site(rs))
                .list();
    }

    public List<Site> sites(java.util.Collection<UUID> ids) {
        return jdbc.sql("SELECT " + SITE_COLUMNS + " FROM site s WHERE s.id = ANY(:ids)")
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, i) -> site(rs))
                .list();
    }

    public Optional<Site> site(UUID id) {
        return jdbc.sql("SELECT " + SITE_COLUMNS + " FROM site s WHERE s.id = :id")
                .param("id", id)
                .query((rs, i) -> site(rs))
                .optional();
    }

    public List<VisitMotive> motivesOf(UUID practitionerId) {
        return jdbc.sql(MOTIVE_SELECT + " WHERE m.practitioner_id = :id ORDER BY m.position, m.label, m.id")
                .param("id", practitionerId)
                .query((rs, i) -> motive(rs))
                .list();
    }

    public List<VisitMotive> motivesOf(java.util.Collection<UUID> practitionerIds) {
        return jdbc.sql(MOTIVE_SELECT + " WHERE m.practitioner_id = ANY(:ids) ORDER BY m.position, m.label, m.id")
                .param("ids", practitionerIds.toArray(UUID[]::new))
                .query((rs, i) -> motive(rs))
                .list();
    }

    public Optional<VisitMotive> motive(UUID id) {
        return jdbc.sql(MOTIVE_SELECT + " WHERE m.id = :id")
                .param("id", id)
                .query((rs, i) -> motive(rs))
                .optional();
    }

    /** The mean position of the sites of a postcode, if any site has it. */
    public Optional<double[]> postcodeCentre(String postcode) {
        return jdbc.sql(
                        "SELECT avg(latitude) AS lat, avg(longitude) AS lon, count(*) AS n FROM site WHERE postcode = :pc")
                .param("pc", postcode)
                .query((rs, i) -> rs.getLong("n") == 0 ? null : new double[] {rs.getDouble("lat"), rs.getDouble("lon")})
                .optional();
    }

    public Optional<double[]> cityCentre(String cityKey) {
        return jdbc.sql(
                        "SELECT avg(latitude) AS lat, avg(longitude) AS lon, count(*) AS n FROM site WHERE city_key = :key")
                .param("key", cityKey)
                .query((rs, i) -> rs.getLong("n") == 0 ? null : new double[] {rs.getDouble("lat"), rs.getDouble("lon")})
                .optional();
    }

    /**
     * Pairs (practitioner, site) of a specialty where the practitioner has opening ranges. A city
     * place matches by city; a point matches by a bounding box of its radius.
     */
    public List<SearchCandidate> candidates(String specialtyCode, Place place) {
        String where;
        JdbcClient.StatementSpec spec;
        if (place.cityKey() != null) {
            where = " AND s.city_key = :city";
        } else {
            where = " AND s.latitude BETWEEN :minLat AND :maxLat AND s.longitude BETWEEN :minLon AND :maxLon";
        }
        spec = jdbc.sql("SELECT " + PRACTITIONER_COLUMNS + ", " + SITE_COLUMNS + " " + PRACTITIONER_FROM
                        + " JOIN site s ON s.organization_id = p.organization_id"
                        + " WHERE p.specialty_code = :specialty"
                        + " AND EXISTS (SELECT 1 FROM practitioner_site ps WHERE ps.practitioner_id = p.id AND ps.site_id = s.id)"
                        + where
                        + " LIMIT 5000")
                .param("specialty", specialtyCode);
        if (place.cityKey() != null) {
            spec = spec.param("city", CityKey.of(place.cityKey()));
        } else {
            double dLat = place.radiusKm() / 111.0;
            double dLon = place.radiusKm() / (111.0 * Math.max(0.01, Math.cos(Math.toRadians(place.latitude()))));
            spec = spec.param("minLat", place.latitude() - dLat)
                    .param("maxLat", place.latitude() + dLat)
                    .param("minLon", place.longitude() - dLon)
                    .param("maxLon", place.longitude() + dLon);
        }
        return spec.query((rs, i) -> {
                    Site site = site(rs);
                    return new SearchCandidate(
                            practitioner(rs), site, place.distanceKm(site.latitude(), site.longitude()));
                })
                .list();
    }

    private static final String MOTIVE_SELECT = """
            SELECT m.id, m.organization_id, m.practitioner_id, m.label, m.duration_minutes, m.online_bookable,
                   m.new_patients_allowed, m.instructions,
                   coalesce(m.min_notice_minutes, p.min_notice_minutes) AS min_notice_minutes,
                   coalesce(m.horizon_days, p.horizon_days) AS horizon_days,
                   coalesce(m.cancellation_cutoff_hours, p.cancellation_cutoff_hours) AS cancellation_cutoff_hours
              FROM visit_motive m
              JOIN practitioner p ON p.id = m.practitioner_id
            """;

    private static VisitMotive motive(ResultSet rs) throws SQLException {
        return new VisitMotive(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("practitioner_id", UUID.class),
                rs.getString("label"),
                Duration.ofMinutes(rs.getInt("duration_minutes")),
                rs.getBoolean("online_bookable"),
                rs.getBoolean("new_patients_allowed"),
                rs.getString("instructions"),
                rules(rs));
    }

    private static Practitioner practitioner(ResultSet rs) throws SQLException {
        Array languages = rs.getArray("languages");
        return new Practitioner(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getString("organization_name"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("rpps"),
                new Specialty(rs.getString("specialty_code"), rs.getString("specialty_label")),
                languages == null ? List.of() : Arrays.asList((String[]) languages.getArray()),
                rs.getBoolean("accepts_new_patients"),
                rules(rs));
    }

    private static BookingRules rules(ResultSet rs) throws SQLException {
        return new BookingRules(
                Duration.ofMinutes(rs.getInt("min_notice_minutes")),
                Duration.ofDays(rs.getInt("horizon_days")),
                Duration.ofHours(rs.getInt("cancellation_cutoff_hours")));
    }

    private static Site site(ResultSet rs) throws SQLException {
        return new Site(
                rs.getObject("site_id", UUID.class),
                rs.getObject("site_org", UUID.class),
                rs.getString("site_name"),
                rs.getString("address_line"),
                rs.getString("postcode"),
                rs.getString("city"),
                rs.getDouble("latitude"),
                rs.getDouble("longitude"),
                ZoneId.of(rs.getString("time_zone")));
    }

    /** The practitioners (agendas) of one organization, by name, at most {@code limit}. */
    public List<Practitioner> practitionersOf(UUID organizationId, int limit) {
        return jdbc.sql("SELECT " + PRACTITIONER_COLUMNS + PRACTITIONER_FROM
                        + " WHERE p.organization_id = :org ORDER BY p.last_name, p.first_name, p.id LIMIT :limit")
                .param("org", organizationId)
                .param("limit", limit)
                .query((rs, i) -> practitioner(rs))
                .list();
    }
}
