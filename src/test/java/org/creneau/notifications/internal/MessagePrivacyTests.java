package org.creneau.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * Private by default: every mail template and every SMS text, rendered in both languages with
 * sample data whose motive and specialty carry a marker (in the motive itself, the place's name and
 * the practice's free-text reason), names neither in a subject or an SMS (both show on a lock
 * screen). An email's body names the motive only when it is given (the organization's choice).
 * Every template of {@code templates/mail} is one of the kinds rendered.
 */
class MessagePrivacyTests {

    private static final String MOTIVE = "MOTIF-MARQUEUR";
    private static final String SPECIALTY = "SPECIALITE-MARQUEUR";
    private static final Path FOLDER = Path.of("src/main/resources/templates/mail");

    private final MailTemplates templates = new MailTemplates(bundles());

    @Test
    void noSubjectAndNoSmsNamesTheMotiveOrTheSpecialty() {
        List<String> leaks = new ArrayList<>();
        int rendered = 0;
        for (Locale language : List.of(Locale.FRENCH, Locale.ENGLISH)) {
            for (MessageKind kind : MessageKind.values()) {
                MailTemplates.Rendered mail = templates.render(kind, language, sample());
                rendered++;
                assertThat(mail.subject()).as(kind + " subject").isNotBlank();
                assertThat(mail.text()).as(kind + " text").isNotBlank();
                if (mail.subject().contains(MOTIVE) || mail.subject().contains(SPECIALTY)) {
                    leaks.add(kind + " subject (" + language + "): " + mail.subject());
                }
                if (MailTemplates.hasSms(kind)) {
                    String sms = templates.sms(kind, language, sample());
                    rendered++;
                    if (sms.contains(MOTIVE) || sms.contains(SPECIALTY)) {
                        leaks.add(kind + " SMS (" + language + "): " + sms);
                    }
                }
            }
        }
        assertThat(rendered).isGreaterThan(2 * MessageKind.values().length);
        assertThat(leaks).isEmpty();
    }

    @Test
    void everyPatientMessageAboutAnAppointmentHasAnSmsTextAndEachIsScanned() {
        assertThat(Stream.of(MessageKind.values()).filter(MailTemplates::hasSms))
                .containsExactlyInAnyOrder(
                        MessageKind.BOOKING_CONFIRMED,
                        MessageKind.REMINDER,
                        MessageKind.APPOINTMENT_CANCELLED,
                        MessageKind.APPOINTMENT_MOVED);
    }

    @Test
    void anEmailBodyNamesTheMotiveOnlyWhenTheOrganizationsChoicePutItThere() {
        for (MessageKind kind : List.of(
                MessageKind.BOOKING_CONFIRMED,
                MessageKind.REMINDER,
                MessageKind.APPOINTMENT_CANCELLED,
                MessageKind.APPOINTMENT_MOVED,
                MessageKind.WAITLIST_OFFERED,
                MessageKind.WAITLIST_SLOT_GONE)) {
            Map<String, Object> chosen = sample();
            chosen.put("reason", null);
            MailTemplates.Rendered named = templates.render(kind, Locale.FRENCH, chosen);
            assertThat(named.text()).as(kind + " text").contains("Motif : " + MOTIVE);
            assertThat(named.html()).as(kind + " html").contains("Motif : " + MOTIVE);
            assertThat(named.subject()).as(kind + " subject").doesNotContain(MOTIVE);

            Map<String, Object> notChosen = sample();
            notChosen.remove("motive");
            notChosen.put("reason", null);
            MailTemplates.Rendered unnamed = templates.render(kind, Locale.ENGLISH, notChosen);
            assertThat(unnamed.text()).as(kind + " text").doesNotContain(MOTIVE);
            assertThat(unnamed.html()).as(kind + " html").doesNotContain(MOTIVE);
        }
    }

    @Test
    void theMarkerIsFoundWhenATextNamesIt() {
        // The check above could pass by rendering nothing: a body that names the motive shows it.
        Map<String, Object> model = sample();
        model.put("reason", "Motif : " + model.get("motive"));
        assertThat(templates
                        .render(MessageKind.APPOINTMENT_CANCELLED, Locale.FRENCH, model)
                        .text())
                .contains(MOTIVE);
    }

    @Test
    void everyTemplateIsOneOfTheKindsRendered() throws IOException {
        Set<String> kinds =
                Stream.of(MessageKind.values()).map(MailTemplates::name).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(FOLDER)) {
            assertThat(files.map(p -> p.getFileName().toString().replaceAll("\\.(txt|html)$", ""))
                            .map(name -> name.startsWith("sms-") ? name.substring(4) : name))
                    .isNotEmpty()
                    .allMatch(kinds::contains);
        }
    }

    /** Every value any template reads, with the motive and specialty a practice could hold. */
    private static Map<String, Object> sample() {
        Map<String, Object> model = new HashMap<>();
        model.put("motive", MOTIVE);
        model.put("specialty", SPECIALTY);
        model.put("when", "mardi 5 janvier 2027 à 09:00");
        model.put("practitioner", "Dr Claire Martin");
        model.put("place", "Cabinet " + SPECIALTY);
        model.put("address", "1 rue de la Paix, 75002 Paris");
        // A practice's free text may name anything: no SMS shows it.
        model.put("reason", "Votre consultation " + MOTIVE + " (" + SPECIALTY + ") est reportée");
        model.put("link", "https://creneau.example/mes-rendez-vous");
        model.put("optOutLink", "https://creneau.example/mon-compte");
        model.put("member", "assistante@cabinet.example");
        model.put("before", "lundi 4 janvier 2027 à 10:00");
        model.put("after", "voir les rendez-vous");
        model.put("app", "Logiciel");
        model.put("appId", UUID.randomUUID());
        model.put("where", "pour cette structure");
        model.put("severe", false);
        model.put("signal", "SWEEP");
        model.put("alertId", UUID.randomUUID());
        model.put("raisedAt", Instant.parse("2027-01-04T06:00:00Z"));
        model.put("minutes", 30L);
        model.put("hours", 48L);
        model.put("days", 7L);
        model.put("organization", "Cabinet " + SPECIALTY);
        model.put("role", "secrétaire");
        return model;
    }

    private static ResourceBundleMessageSource bundles() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }
}
