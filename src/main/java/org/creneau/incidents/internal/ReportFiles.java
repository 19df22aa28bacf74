package org.creneau.incidents.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.creneau.incidents.internal.Findings.AppointmentRecord;
import org.creneau.incidents.internal.Findings.OrganizationRecords;
import org.creneau.incidents.internal.Findings.PatientRecord;
import org.creneau.journal.AccessRecord.ActorKind;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an investigation's files into a directory: the records per organization (JSON), each
 * practice's extract (CSV and JSON), the draft notification to the CNIL (French), one draft letter per
 * patient in their language, the integrity section and the one-page summary (HTML with its chart).
 * The words are in the templates under {@code templates/incident/}; no PDF: no library on the
 * classpath renders one.
 */
@Component
class ReportFiles {

    private static final String FOLDER = "templates/incident/";

    private final TemplateEngine text;
    private final TemplateEngine html;
    private final JsonMapper json =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final Clock clock;
    private final ZoneId zone;
    private final String securityContact;

    ReportFiles(
            Clock clock,
            @Value("${creneau.default-time-zone:Europe/Paris}") String zone,
            @Value("${creneau.guard.security-contact:}") String securityContact) {
        this.clock = clock;
        this.zone = ZoneId.of(zone);
        this.securityContact = securityContact;
        this.text = engine(TemplateMode.TEXT, ".txt");
        this.html = engine(TemplateMode.HTML, ".html");
    }

    /** Times as each document reads them: French and English prose, ISO-8601 for operators. */
    public static final class Times {
        private final ZoneId zone;

        Times(ZoneId zone) {
            this.zone = zone;
        }

        public String fr(Instant at) {
            return at == null
                    ? ""
                    : DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm (z)", Locale.FRENCH)
                            .format(at.atZone(zone));
        }

        public String en(Instant at) {
            return at == null
                    ? ""
                    : DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm (z)", Locale.ENGLISH)
                            .format(at.atZone(zone));
        }

        public String iso(Instant at) {
            return at == null ? "" : at.toString();
        }
    }

    /** The files written, relative to the directory. */
    List<Path> write(Findings f, Path out) {
        List<Path> written = new ArrayList<>();
        Map<String, Object> common = new HashMap<>();
        Times times = new Times(zone);
        common.put("f", f);
        common.put("fmt", times);
        common.put("now", clock.instant());
        common.put(
                "actorLabel",
                f.actorKind() == ActorKind.APP
                        ? "le logiciel connecté « " + f.actorName() + " »"
                        : "le compte " + f.actorId());
        common.put("wrote", !f.integrity().writes().isEmpty() || f.integrity().journaledWrites() > 0);
        common.put(
                "contact",
                securityContact.isBlank()
                        ? "[à compléter : adresse du délégué à la protection des données]"
                        : securityContact);

        written.add(save(out, "records.json", json.writeValueAsString(records(f))));
        for (OrganizationRecords o : f.organizations()) {
            String folder = "organizations/" + (o.id() == null ? "no-organization" : o.id());
            written.add(save(out, folder + "/extract.json", json.writeValueAsString(extract(o))));
            written.add(save(out, folder + "/extract.csv", csv(o)));
        }
        written.add(save(out, "cnil-notification.fr.txt", render(text, "cnil-notification", Locale.FRENCH, common)));
        for (OrganizationRecords o : f.organizations()) {
            if (o.id() == null) {
                continue;
            }
            for (PatientRecord p : o.patients()) {
                Map<String, Object> model = new HashMap<>(common);
                model.put("p", p);
                model.put("practice", o.name());
                model.put("first", p.access().first());
                model.put("last", p.access().last());
                model.put("contained", f.containedAt());
                // This patient's own records: the journal verifies and the actor wrote none of them.
                model.put(
                        "noRecordAltered",
                        f.integrity().journalIntact() && !p.access().wrote());
                String language = p.language().getLanguage().equals("en") ? "en" : "fr";
                if (language.equals("en")) {
                    model.put(
                            "actorLabel",
                            f.actorKind() == ActorKind.APP
                                    ? "the software \"" + f.actorName() + "\", connected to our online booking system,"
                                    : "an account of our practice");
                } else {
                    model.put(
                            "actorLabel",
                            f.actorKind() == ActorKind.APP
                                    ? "le logiciel « " + f.actorName() + " », connecté à notre agenda en ligne,"
                                    : "un compte de notre cabinet");
                }
                written.add(save(
                        out,
                        "letters/" + o.id() + "/" + p.id() + "." + language + ".txt",
                        render(text, "letter-" + language, p.language(), model)));
            }
        }
        Map<String, Object> english = new HashMap<>(common);
        english.put(
                "actorLabel",
                f.actorKind() == ActorKind.APP
                        ? "app " + f.actorName() + " (" + f.actorId() + ")"
                        : "account " + f.actorId());
        written.add(save(out, "integrity.txt", render(text, "integrity", Locale.ENGLISH, english)));
        english.put("chart", TimelineChart.of(f.timeline(), f.containedAt()));
        written.add(save(out, "summary.html", render(html, "summary", Locale.ENGLISH, english)));
        return written;
    }

    private static Map<String, Object> records(Findings f) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("actor", Map.of("kind", f.actorKind().name(), "id", f.actorId().toString(), "name", f.actorName()));
        root.put("window", Map.of("from", f.from().toString(), "to", f.to().toString()));
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("firstAccess", str(f.firstAccess()));
        timeline.put("lastAccess", str(f.lastAccess()));
        timeline.put("detection", str(f.detectedAt()));
        timeline.put("containment", str(f.containedAt()));
        root.put("timeline", timeline);
        root.put(
                "totals",
                Map.of(
                        "organizations", f.organizations().size(),
                        "appointments", f.appointments(),
                        "patients", f.patients(),
                        "patientsWithContactDetails", f.patientsWithContactDetails(),
                        "journalEntries", f.entries(),
                        "refusedOrWithheld", f.attempts()));
        List<Object> organizations = new ArrayList<>();
        for (OrganizationRecords o : f.organizations()) {
            Map<String, Object> org = new LinkedHashMap<>();
            org.put("id", str(o.id()));
            org.put("name", o.name());
            org.put(
                    "counts",
                    Map.of(
                            "appointments", o.appointments().size(),
                            "patients", o.patients().size(),
                            "patientsWithContactDetails", o.patientsWithContactDetails(),
                            "refusedOrWithheld", o.attempts()));
            org.put(
                    "appointments",
                    o.appointments().stream().map(ReportFiles::appointment).toList());
            org.put(
                    "patients",
                    o.patients().stream()
                            .map(p -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("id", p.id().toString());
                                m.put("reached", p.readDirectly() ? "read directly" : "named by an appointment");
                                m.put("access", p.access().word());
                                m.put("contactDetailsExposed", p.contactExposed());
                                m.put("fields", p.fieldsExposed());
                                m.put(
                                        "appointments",
                                        p.appointmentIds().stream()
                                                .map(Object::toString)
                                                .toList());
                                return m;
                            })
                            .toList());
            org.put(
                    "otherRecords",
                    o.others().stream()
                            .map(r -> Map.of(
                                    "type",
                                    r.type(),
                                    "id",
                                    r.id().toString(),
                                    "access",
                                    r.access().word()))
                            .toList());
            organizations.add(org);
        }
        root.put("organizations", organizations);
        return root;
    }

    private static Map<String, Object> appointment(AppointmentRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("access", a.access().word());
        m.put("first", str(a.access().first()));
        m.put("last", str(a.access().last()));
        m.put("times", a.access().times());
        m.put("start", str(a.start()));
        m.put("practitioner", a.practitioner());
        m.put("patient", str(a.patientId()));
        m.put("status", a.status());
        m.put("contactDetailsExposed", a.contactExposed());
        return m;
    }

    /** The practice's extract: its records with the names it needs to recognise its patients. */
    private static Map<String, Object> extract(OrganizationRecords o) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("organization", Map.of("id", str(o.id()), "name", o.name()));
        root.put(
                "appointments",
                o.appointments().stream().map(ReportFiles::appointment).toList());
        root.put(
                "patients",
                o.patients().stream()
                        .map(p -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("id", p.id().toString());
                            m.put("lastName", p.lastName());
                            m.put("firstName", p.firstName());
                            m.put(
                                    "birthDate",
                                    p.birthDate() == null ? null : p.birthDate().toString());
                            m.put("language", p.language().getLanguage());
                            m.put("reached", p.readDirectly() ? "read directly" : "named by an appointment");
                            m.put("access", p.access().word());
                            m.put("contactDetailsExposed", p.contactExposed());
                            m.put("fields", p.fieldsExposed());
                            m.put(
                                    "appointments",
                                    p.appointmentIds().stream()
                                            .map(Object::toString)
                                            .toList());
                            return m;
                        })
                        .toList());
        return root;
    }

    private static String csv(OrganizationRecords o) {
        StringBuilder csv = new StringBuilder(
                "record_type,record_id,access,first_access,last_access,times,appointment_start,practitioner,patient_id,"
                        + "last_name,first_name,birth_date,contact_details_exposed\n");
        for (AppointmentRecord a : o.appointments()) {
            row(
                    csv,
                    "Appointment",
                    a.id(),
                    a.access(),
                    str(a.start()),
                    a.practitioner(),
                    str(a.patientId()),
                    "",
                    "",
                    "",
                    a.contactExposed());
        }
        for (PatientRecord p : o.patients()) {
            row(
                    csv,
                    "Patient",
                    p.id(),
                    p.access(),
                    "",
                    "",
                    p.id().toString(),
                    p.lastName(),
                    p.firstName(),
                    p.birthDate() == null ? "" : p.birthDate().toString(),
                    p.contactExposed());
        }
        return csv.toString();
    }

    private static void row(
            StringBuilder csv,
            String type,
            Object id,
            Findings.Access access,
            String start,
            String practitioner,
            String patient,
            String last,
            String first,
            String birth,
            boolean contact) {
        List<String> cells = List.of(
                type,
                id.toString(),
                access.word(),
                str(access.first()),
                str(access.last()),
                Integer.toString(access.times()),
                start,
                practitioner == null ? "" : practitioner,
                patient,
                last == null ? "" : last,
                first == null ? "" : first,
                birth,
                Boolean.toString(contact));
        csv.append(String.join(",", cells.stream().map(ReportFiles::cell).toList()))
                .append('\n');
    }

    /** RFC 4180 quoting; a leading formula character is defused so a spreadsheet does not run it. */
    private static String cell(String value) {
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String str(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String render(TemplateEngine engine, String template, Locale locale, Map<String, Object> model) {
        return engine.process(template, new Context(locale, model));
    }

    private static Path save(Path out, String name, String content) {
        Path file = out.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.relativize(file);
    }

    private static TemplateEngine engine(TemplateMode mode, String suffix) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix(FOLDER);
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        TemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }
}
