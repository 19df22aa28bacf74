package org.creneau.availability;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Collection;
import java.util.UUID;
import org.creneau.availability.internal.AvailabilityRepository;
import org.creneau.availability.internal.ComputedAvailability;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.platform.InvalidInputException;
import org.springframework.stereotype.Service;

/**
 * Changes an agenda's opening ranges and absences. Runs inside the caller's
 * {@code TenantScope}: the database refuses rows of another organization.
 */
@Service
public class AgendaSettings {

    private final AvailabilityRepository repository;
    private final ComputedAvailability computed;
    private final DirectoryAdministration directory;
    private final org.springframework.context.ApplicationEventPublisher events;

    AgendaSettings(
            AvailabilityRepository repository,
            ComputedAvailability computed,
            DirectoryAdministration directory,
            org.springframework.context.ApplicationEventPublisher events) {
        this.repository = repository;
        this.directory = directory;
        this.computed = computed;
        this.events = events;
    }

    public record NewOpeningRange(
            UUID practitionerId,
            UUID siteId,
            DayOfWeek weekday,
            LocalTime start,
            LocalTime end,
            LocalDate validFrom,
            LocalDate validUntil,
            Collection<UUID> motiveIds) {

        public NewOpeningRange {
            if (!end.isAfter(start)) {
                throw new InvalidInputException("end", "must be after start");
            }
            if (motiveIds.isEmpty()) {
                throw new InvalidInputException("motiveIds", "must name at least one motive");
            }
        }
    }

    public UUID addOpeningRange(UUID organizationId, NewOpeningRange r) {
        UUID id = UUID.randomUUID();
        repository.lockRanges(r.practitionerId());
        repository.insertRange(
                id,
                organizationId,
                r.practitionerId(),
                r.siteId(),
                r.weekday(),
                r.start(),
                r.end(),
                r.validFrom(),
                r.validUntil(),
                r.motiveIds());
        consultationSitesChanged(organizationId, r.practitionerId());
        return id;
    }

    /** Removes an opening range of an agenda; false when the agenda has no such range. */
    public boolean removeOpeningRange(UUID organizationId, UUID practitionerId, UUID rangeId) {
        repository.lockRanges(practitionerId);
        if (repository.deleteRange(practitionerId, rangeId) == 0) {
            return false;
        }
        consultationSitesChanged(organizationId, practitionerId);
        return true;
    }

    /** The directory states where a practitioner consults: the sites of their ranges, kept in step here. */
    private void consultationSitesChanged(UUID organizationId, UUID practitionerId) {
        directory.setConsultationSites(organizationId, practitionerId, repository.rangeSites(practitionerId));
        computed.agendaChanged(practitionerId);
    }

    public UUID addAbsence(UUID organizationId, UUID practitionerId, Instant from, Instant to, String reason) {
        return addAbsence(organizationId, practitionerId, from, to, reason, null, null);
    }

    /**
     * Adds an absence; the appointments it covers are cancelled in the same transaction by whoever
     * listens to {@link AbsenceAdded} (the booking module).
     */
    public UUID addAbsence(
            UUID organizationId,
            UUID practitionerId,
            Instant from,
            Instant to,
            String reason,
            String patientMessage,
            UUID actor) {
        if (!to.isAfter(from)) {
            throw new InvalidInputException("to", "must be after from");
        }
        if (java.time.Duration.between(from, to).toDays() > 366) {
            throw new InvalidInputException("to", "an absence lasts at most a year");
        }
        UUID id = UUID.randomUUID();
        repository.insertAbsence(id, organizationId, practitionerId, from, to, reason);
        computed.agendaChanged(practitionerId);
        events.publishEvent(new AbsenceAdded(id, organizationId, practitionerId, from, to, patientMessage, actor));
        return id;
    }
}
