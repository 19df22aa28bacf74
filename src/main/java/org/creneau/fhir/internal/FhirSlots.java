package org.creneau.fhir.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.apps.ConnectedApps;
import org.creneau.availability.Slot;
import org.creneau.availability.SlotFinder;
import org.creneau.directory.Directory;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.TimeWindow;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Slot: the free slots of a granted agenda, computed from its rules like the patients' ones, and
 * its busy time, over a bounded window. Without a status, both.
 */
@Component
class FhirSlots implements IResourceProvider {

    static final String SCOPE = "system/Slot.rs";

    private final ConnectedApps registry;
    private final GrantedAgendas agendas;
    private final Directory directory;
    private final SlotFinder slots;
    private final TenantScope scope;
    /** The zone a date without a time is read in, as in the JSON API. */
    private final ZoneId dayZone;

    FhirSlots(
            ConnectedApps registry,
            GrantedAgendas agendas,
            Directory directory,
            SlotFinder slots,
            TenantScope scope,
            @Value("${creneau.default-time-zone:Europe/Paris}") String dayZone) {
        this.dayZone = ZoneId.of(dayZone);
        this.registry = registry;
        this.agendas = agendas;
        this.directory = directory;
        this.slots = slots;
        this.scope = scope;
    }

    @Override
    public Class<org.hl7.fhir.r4.model.Slot> getResourceType() {
        return org.hl7.fhir.r4.model.Slot.class;
    }

    @Search
    public List<org.hl7.fhir.r4.model.Slot> search(
            @RequiredParam(name = org.hl7.fhir.r4.model.Slot.SP_SCHEDULE) ReferenceParam schedule,
            @RequiredParam(name = org.hl7.fhir.r4.model.Slot.SP_START) DateRangeParam start,
            @OptionalParam(name = org.hl7.fhir.r4.model.Slot.SP_STATUS) TokenParam status,
            @Count Integer count) {
        List<GrantedAgendas.Agenda> open =
                agendas.of(AppToken.current(registry).requireScope(SCOPE), Integer.MAX_VALUE);
        TimeWindow window = FhirSearch.window(
                start, org.hl7.fhir.r4.model.Slot.SP_START, dayZone, FhirAppointments.MAX_WINDOW_DAYS);
        String wanted = status == null ? null : status.getValue();
        if (wanted != null) {
            try {
                org.hl7.fhir.r4.model.Slot.SlotStatus.fromCode(wanted);
            } catch (FHIRException e) {
                throw new InvalidRequestException("status must be a Slot status code, such as free or busy");
            }
        }
        boolean free = wanted == null || "free".equals(wanted);
        boolean busy = wanted == null || "busy".equals(wanted);
        String agendaId = schedule.getIdPart();
        boolean granted =
                open.stream().anyMatch(a -> a.practitionerId().toString().equals(agendaId));
        if (!granted || (!free && !busy)) {
            // Another organization's agenda and a missing one both have no slot to show.
            return List.of();
        }
        UUID practitioner = UUID.fromString(agendaId);
        int limit = FhirSearch.limit(count);
        // One read-only transaction for what is not kept; only the page's slots become resources.
        List<Shown> shown = scope.read(Caller.ANONYMOUS, () -> shown(practitioner, window, free, busy));
        return shown.stream()
                .sorted(Comparator.comparing(Shown::start))
                .limit(limit)
                .map(s ->
                        s.slot() != null ? resource(practitioner, s.motive(), s.slot()) : busy(practitioner, s.busy()))
                .toList();
    }

    /** A free slot of a motive, or a taken time: one Slot resource to be. */
    private record Shown(Slot slot, VisitMotive motive, TimeWindow busy) {

        Instant start() {
            return slot != null ? slot.start() : busy.from();
        }
    }

    /** Free slots by motive, then taken times: the order ties keep once sorted by start. */
    private List<Shown> shown(UUID practitioner, TimeWindow window, boolean free, boolean busy) {
        List<Shown> found = new ArrayList<>();
        if (free) {
            for (VisitMotive motive : directory.motivesOf(practitioner)) {
                for (Slot slot : slots.freeSlots(practitioner, motive.id(), window)) {
                    found.add(new Shown(slot, motive, null));
                }
            }
        }
        if (busy) {
            for (TimeWindow taken : slots.busyTimes(practitioner, window)) {
                found.add(new Shown(null, null, taken));
            }
        }
        return found;
    }

    /**
     * A taken time, least data: no patient, no appointment, not even whether it is an appointment
     * or an absence. Its id derives from the agenda and the time only, so it is the same on each
     * search and says nothing of the appointment behind it.
     */
    private static org.hl7.fhir.r4.model.Slot busy(UUID practitioner, TimeWindow taken) {
        UUID id = UUID.nameUUIDFromBytes(("busy|" + practitioner + "|"
                        + taken.from().getEpochSecond() + "|" + taken.to().getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        org.hl7.fhir.r4.model.Slot s = new org.hl7.fhir.r4.model.Slot();
        s.setId(new IdType("Slot", id.toString()));
        s.setSchedule(new Reference("Schedule/" + practitioner));
        s.setStatus(org.hl7.fhir.r4.model.Slot.SlotStatus.BUSY);
        s.setStart(Date.from(taken.from()));
        s.setEnd(Date.from(taken.to()));
        return s;
    }

    private static org.hl7.fhir.r4.model.Slot resource(UUID practitioner, VisitMotive motive, Slot slot) {
        // A stable, non-sequential id: the same slot has the same id until it is taken.
        UUID id = UUID.nameUUIDFromBytes((practitioner + "|" + motive.id() + "|" + slot.siteId() + "|"
                        + slot.start().getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        org.hl7.fhir.r4.model.Slot s = new org.hl7.fhir.r4.model.Slot();
        s.setId(new IdType("Slot", id.toString()));
        s.setSchedule(new Reference("Schedule/" + practitioner));
        s.setStatus(org.hl7.fhir.r4.model.Slot.SlotStatus.FREE);
        s.setStart(Date.from(slot.start()));
        s.setEnd(Date.from(slot.end()));
        s.addServiceType().setText(motive.label());
        s.setComment("motive " + motive.id() + ", site " + slot.siteId());
        return s;
    }
}
