package org.creneau.directory.internal;

import java.util.List;
import java.util.UUID;
import org.creneau.directory.Directory;
import org.creneau.directory.Practitioner;
import org.creneau.directory.Site;
import org.creneau.directory.Specialty;
import org.creneau.directory.VisitMotive;
import org.creneau.platform.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public directory: specialties and practitioner profiles. */
@RestController
@RequestMapping("/api/v1")
class DirectoryController {

    private final Directory directory;

    DirectoryController(Directory directory) {
        this.directory = directory;
    }

    @GetMapping("/specialties")
    List<Specialty> specialties() {
        return directory.specialties();
    }

    @GetMapping("/practitioners/{id}")
    PractitionerProfile practitioner(@PathVariable UUID id) {
        Practitioner p = directory.practitioner(id).orElseThrow(() -> new NotFoundException("practitioner"));
        return new PractitionerProfile(
                p.id(),
                p.displayName(),
                p.firstName(),
                p.lastName(),
                p.rpps(),
                p.specialty(),
                p.languages(),
                p.acceptsNewPatients(),
                new OrganizationView(p.organizationId(), p.organizationName()),
                directory.sitesOf(id).stream().map(SiteView::of).toList(),
                directory.motivesOf(id).stream().map(MotiveView::of).toList());
    }

    record PractitionerProfile(
            UUID id,
            String name,
            String firstName,
            String lastName,
            String rpps,
            Specialty specialty,
            List<String> languages,
            boolean acceptsNewPatients,
            OrganizationView organization,
            List<SiteView> sites,
            List<MotiveView> motives) {}

    record OrganizationView(UUID id, String name) {}

    record SiteView(
            UUID id,
            String name,
            String address,
            String postcode,
            String city,
            double lat,
            double lon,
            String timeZone) {
        static SiteView of(Site s) {
            return new SiteView(
                    s.id(),
                    s.name(),
                    s.addressLine(),
                    s.postcode(),
                    s.city(),
                    s.latitude(),
                    s.longitude(),
                    s.timeZone().getId());
        }
    }

    record MotiveView(
            UUID id,
            String label,
            long durationMinutes,
            boolean onlineBookable,
            boolean newPatientsAllowed,
            String instructions,
            long cancellationCutoffHours) {
        static MotiveView of(VisitMotive m) {
            return new MotiveView(
                    m.id(),
                    m.label(),
                    m.duration().toMinutes(),
                    m.onlineBookable(),
                    m.newPatientsAllowed(),
                    m.instructions(),
                    m.rules().cancellationCutoff().toHours());
        }
    }
}
