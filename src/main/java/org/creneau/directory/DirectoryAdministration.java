package org.creneau.directory;

import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.platform.InvalidInputException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Creates an organization's directory entries. Runs inside the caller's {@code TenantScope}:
 * row-level security refuses rows of any organization but the one set for the transaction. Every
 * change publishes {@link DirectoryChanged}.
 */
@Service
public class DirectoryAdministration {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    DirectoryAdministration(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public enum OrganizationKind {
        PRACTICE,
        HEALTH_CENTRE,
        HOSPITAL
    }

    public void createOrganization(UUID id, String name, OrganizationKind kind) {
        jdbc.sql("INSERT INTO organization (id, name, kind) VALUES (:id, :name, :kind)")
                .param("id", id)
                .param("name", name)
                .param("kind", kind.name())
                .update();
        events.publishEvent(new DirectoryChanged(id, null));
    }

    public record NewSite(
            String name,
            String addressLine,
            String postcode,
            String city,
            double latitude,
            double longitude,
            ZoneId timeZone) {}

    public UUID createSite(UUID organizationId, NewSite site) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO site (id, organization_id, name, address_line, postcode, city, city_key,
                                          latitude, longitude, time_zone)
                        VALUES (:id, :org, :name, :address, :postcode, :city, :cityKey, :lat, :lon, :zone)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("name", site.name())
                .param("address", site.addressLine())
                .param("postcode", site.postcode())
                .param("city", site.city())
                .param("cityKey", CityKey.of(site.city()))
                .param("lat", site.latitude())
                .param("lon", site.longitude())
                .param("zone", site.timeZone().getId())
                .update();
        events.publishEvent(new DirectoryChanged(organizationId, null));
        return id;
    }

    public record NewPractitioner(
            String firstName,
            String lastName,
            RppsNumber rpps,
            String specialtyCode,
            List<String> languages,
            boolean acceptsNewPatients,
            int minNoticeMinutes,
            int horizonDays,
            int cancellationCutoffHours) {}

    public UUID createPractitioner(UUID organizationId, NewPractitioner p) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO practitioner (id, organization_id, first_name, last_name, rpps, specialty_code,
                               languages, accepts_new_patients, min_notice_minutes, horizon_days,
                               cancellation_cutoff_hours)
                        VALUES (:id, :org, :first, :last, :rpps, :specialty, :languages, :acceptsNew, :notice,
                                :horizon, :cutoff)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("first", p.firstName())
                .param("last", p.lastName())
                .param("rpps", p.rpps().value())
                .param("specialty", p.specialtyCode())
                .param("languages", p.languages().toArray(String[]::new))
                .param("acceptsNew", p.acceptsNewPatients())
                .param("notice", p.minNoticeMinutes())
                .param("horizon", p.horizonDays())
                .param("cutoff", p.cancellationCutoffHours())
                .update();
        events.publishEvent(new DirectoryChanged(organizationId, id));
        return id;
    }

    public record NewMotive(
            String label,
            int durationMinutes,
            boolean onlineBookable,
            boolean newPatientsAllowed,
            String instructions,
            Integer cancellationCutoffHours) {
        public NewMotive {
            if (label == null || label.isBlank() || label.length() > 200) {
                throw new InvalidInputException("label", "is required, at most 200 characters");
            }
            if (instructions != null && instructions.length() > 2000) {
                throw new InvalidInputException("instructions", "must have at most 2000 characters");
            }
            if (cancellationCutoffHours != null && (cancellationCutoffHours < 0 || cancellationCutoffHours > 720)) {
                throw new InvalidInputException("cancellationCutoffHours", "must be between 0 and 720");
            }
            if (durationMinutes < 5 || durationMinutes > 480) {
                throw new InvalidInputException("durationMinutes", "must be between 5 and 480");
            }
        }
    }

    /** Changes a motive of the given agenda; false when there is no such motive on it. */
    public boolean updateMotive(UUID practitionerId, UUID motiveId, NewMotive m) {
        boolean updated = jdbc.sql("""
                                UPDATE visit_motive SET label = :label, duration_minutes = :duration,
                                       online_bookable = :online, new_patients_allowed = :newPatients,
                                       instructions = :instructions, cancellation_cutoff_hours = :cutoff
                                 WHERE id = :id AND practitioner_id = :practitioner
                                """)
                        .param("id", motiveId)
                        .param("practitioner", practitionerId)
                        .param("label", m.label())
                        .param("duration", m.durationMinutes())
                        .param("online", m.onlineBookable())
                        .param("newPatients", m.newPatientsAllowed())
                        .param("instructions", m.instructions())
                        .param("cutoff", m.cancellationCutoffHours(), java.sql.Types.INTEGER)
                        .update()
                == 1;
        if (updated) {
            events.publishEvent(new DirectoryChanged(null, practitionerId));
        }
        return updated;
    }

    /**
     * The cancellation cut-offs an agenda's motives set themselves, by motive (a motive absent from the
     * map follows the agenda's rule): what a form editing the motive shows.
     */
    public Map<UUID, Integer> ownCancellationCutoffs(UUID practitionerId) {
        Map<UUID, Integer> cutoffs = new HashMap<>();
        jdbc.sql("""
                        SELECT id, cancellation_cutoff_hours FROM visit_motive
                         WHERE practitioner_id = :practitioner AND cancellation_cutoff_hours IS NOT NULL
                        """)
                .param("practitioner", practitionerId)
                .query((rs, i) -> Map.entry(rs.getObject("id", UUID.class), rs.getInt("cancellation_cutoff_hours")))
                .list()
                .forEach(e -> cutoffs.put(e.getKey(), e.getValue()));
        return cutoffs;
    }

    /** Changes an agenda's booking rules (motives may still override them). */
    public void updateRules(UUID practitionerId, int minNoticeMinutes, int horizonDays, int cancellationCutoffHours) {
        if (minNoticeMinutes < 0 || minNoticeMinutes > 60 * 24 * 30) {
            throw new InvalidInputException("minNoticeMinutes", "must be between 0 and 43200");
        }
        if (horizonDays < 1 || horizonDays > 730) {
            throw new InvalidInputException("horizonDays", "must be between 1 and 730");
        }
        if (cancellationCutoffHours < 0 || cancellationCutoffHours > 24 * 30) {
            throw new InvalidInputException("cancellationCutoffHours", "must be between 0 and 720");
        }
        jdbc.sql("""
                        UPDATE practitioner SET min_notice_minutes = :notice, horizon_days = :horizon,
                               cancellation_cutoff_hours = :cutoff
                         WHERE id = :id
                        """)
                .param("id", practitionerId)
                .param("notice", minNoticeMinutes)
                .param("horizon", horizonDays)
                .param("cutoff", cancellationCutoffHours)
                .update();
        events.publishEvent(new DirectoryChanged(null, practitionerId));
    }

    /** After how many no-shows a patient may no longer book the organization online; null: never. */
    public Integer noShowBlockThreshold(UUID organizationId) {
        return jdbc.sql("SELECT no_show_block_threshold FROM organization WHERE id = :org")
                .param("org", organizationId)
                .query((rs, i) -> (Integer) rs.getObject("no_show_block_threshold"))
                .optional()
                .orElse(null);
    }

    /** After how many no-shows a patient may no longer book the organization online; null: never. */
    public void setNoShowBlockThreshold(UUID organizationId, Integer threshold) {
        jdbc.sql("UPDATE organization SET no_show_block_threshold = :n WHERE id = :org")
                .param("n", threshold, java.sql.Types.INTEGER)
                .param("org", organizationId)
                .update();
    }

    public UUID createMotive(UUID organizationId, UUID practitionerId, NewMotive m, int position) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO visit_motive (id, organization_id, practitioner_id, label, duration_minutes,
                               online_bookable, new_patients_allowed, instructions, cancellation_cutoff_hours, position)
                        VALUES (:id, :org, :practitioner, :label, :duration, :online, :newPatients, :instructions,
                                :cutoff, :position)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("label", m.label())
                .param("duration", m.durationMinutes())
                .param("online", m.onlineBookable())
                .param("newPatients", m.newPatientsAllowed())
                .param("instructions", m.instructions())
                .param("cutoff", m.cancellationCutoffHours())
                .param("position", position)
                .update();
        events.publishEvent(new DirectoryChanged(organizationId, practitionerId));
        return id;
    }

    /**
     * States the sites where a practitioner consults (availability calls it with the sites of their
     * opening ranges, after each change, in the same transaction): search and the practitioner's page
     * read them from here.
     */
    public void setConsultationSites(UUID organizationId, UUID practitionerId, Collection<UUID> siteIds) {
        UUID[] sites = siteIds.stream().distinct().toArray(UUID[]::new);
        jdbc.sql("""
                        DELETE FROM practitioner_site
                         WHERE organization_id = :org AND practitioner_id = :practitioner AND NOT site_id = ANY (:sites)
                        """)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("sites", sites)
                .update();
        jdbc.sql("""
                        INSERT INTO practitioner_site (organization_id, practitioner_id, site_id)
                        SELECT :org, :practitioner, site FROM unnest(CAST(:sites AS uuid[])) AS site
                        ON CONFLICT DO NOTHING
                        """)
                .param("org", organizationId)
                .param("practitioner", practitionerId)
                .param("sites", sites)
                .update();
    }
}
