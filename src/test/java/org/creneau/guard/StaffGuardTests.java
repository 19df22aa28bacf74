package org.creneau.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.creneau.notifications.Mails;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Insider sweeps: a secretary paging through the patient file by short prefixes, or reading the agenda
 * far from today, is contained (sessions ended, requests refused, journal frozen, admins emailed) until
 * an admin lifts it; a normal day at the desk never is.
 */
@IntegrationTest
class StaffGuardTests {

    static final String CONTAINED_SUBJECT = "Créneau : compte d’un membre de l’équipe suspendu";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    GreenMail smtp;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcTemplate db;
    Practice practice;
    ApiClient desk;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        db = new JdbcTemplate(owner);
        practice = fixtures.practice("medecin-generaliste");
        fileOfEveryTwoLetterPrefix();
        desk = new ApiClient(port, clock);
        desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
    }

    /**
     * 676 patients on the secretary's agenda, whose names start with every two letters from "aa" to
     * "zz" ("Aamond", "Abmond"...), each with a past appointment.
     */
    void fileOfEveryTwoLetterPrefix() {
        db.update(
                """
                WITH people AS (
                    INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, phone, search_name,
                                             created_at)
                    SELECT gen_random_uuid(), ?, 'Claude', initcap(chr(97 + i) || chr(97 + j) || 'mond'),
                           DATE '1960-01-01' + 26 * i + j, '+33 6 00 00 00 00', chr(97 + i) || chr(97 + j) || 'mond claude',
                           now()
                      FROM generate_series(0, 25) AS i, generate_series(0, 25) AS j
                    RETURNING id)
                INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                                         org_patient_id, start_at, end_at, status, created_at, updated_at)
                SELECT gen_random_uuid(), ?, ?, ?, ?, 'medecin-generaliste', people.id,
                       ? - (row_number() OVER ()) * INTERVAL '1 hour',
                       ? - (row_number() OVER ()) * INTERVAL '1 hour' + INTERVAL '30 minutes', 'SEEN', now(), now()
                  FROM people
                """,
                practice.organizationId(),
                practice.organizationId(),
                practice.practitionerId(),
                practice.siteId(),
                practice.motiveId(),
                utc(clock.instant().minus(Duration.ofDays(2))),
                utc(clock.instant().minus(Duration.ofDays(2))));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    ApiClient admin() {
        ApiClient admin = new ApiClient(port, clock);
        admin.loginStaff(practice.adminEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        return admin;
    }

    @Test
    void aSecretaryPagingThroughTheFileByPrefixesIsContainedBefore200PatientsUntilAnAdminLiftsIt() throws Exception {
        Set<String> received = new LinkedHashSet<>();
        Response stopped = null;
        sweep:
        for (char first = 'a'; first <= 'z'; first++) {
            for (char second = 'a'; second <= 'z'; second++) {
                for (int page = 0; ; page++) {
                    Response r = desk.get("/api/v1/staff/patients?name=" + first + second + "&size=50&page=" + page);
                    if (r.status() != 200) {
                        stopped = r;
                        break sweep;
                    }
                    received.addAll(r.body().path("items").findValuesAsString("id"));
                    if (r.body().path("items").size() < 50) {
                        break;
                    }
                }
            }
        }

        assertThat(stopped).as("the sweep was stopped").isNotNull();
        assertThat(stopped.status()).isEqualTo(403);
        assertThat(stopped.contentType()).startsWith("application/problem+json");
        assertThat(received).as("distinct patients received").hasSizeBetween(1, 199);

        // Its session is gone; signing in again opens nothing until an admin lifts the containment.
        assertThat(desk.get("/api/v1/staff/patients?name=aamond").status()).isIn(401, 403);
        // A code of the next 30-second step: the one used at the first sign-in is not taken twice.
        clock.set(clock.instant().plus(Duration.ofMinutes(1)));
        ApiClient again = new ApiClient(port, clock);
        again.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        assertThat(again.get("/api/v1/staff/patients?name=aamond").status()).isEqualTo(403);
        assertThat(again.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments")
                        .status())
                .isEqualTo(403);

        ApiClient admin = admin();
        Response alerts = admin.get("/api/v1/staff/guard-alerts");
        assertThat(alerts.body().get(0).path("signal").asString()).isEqualTo("STAFF_SHORT_SEARCHES");
        assertThat(alerts.body().get(0).path("detail").asString())
                .contains(practice.staffAccountId().toString());
        Response contained = admin.get("/api/v1/staff/contained-accounts");
        assertThat(contained.body().findValuesAsString("accountId"))
                .containsExactly(practice.staffAccountId().toString());
        assertThat(contained.body().get(0).path("email").asString()).isEqualTo(practice.staffEmail());
        assertThat(db.queryForObject(
                        "SELECT count(*) FROM journal_freeze WHERE organization_id = ? AND actor_id = ?",
                        Long.class,
                        practice.organizationId(),
                        practice.staffAccountId()))
                .isEqualTo(1);
        MimeMessage mail = Mails.awaitMailTo(smtp, practice.adminEmail(), CONTAINED_SUBJECT);
        assertThat(Mails.part(mail, "text/plain"))
                .contains(practice.staffEmail())
                .contains("STAFF_SHORT_SEARCHES")
                .doesNotContain("Aamond");

        assertThat(admin.post("/api/v1/staff/contained-accounts/" + practice.staffAccountId() + "/lift", Map.of())
                        .status())
                .isEqualTo(204);
        assertThat(again.get("/api/v1/staff/patients?name=aamond").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/staff/contained-accounts/" + practice.staffAccountId() + "/lift", Map.of())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aSecretaryReadingTheAgendaDayByDayFarIntoThePastIsContained() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), Fixtures.PARIS);
        Response stopped = null;
        int days = 0;
        // The history written above spans the four weeks before today; older days are far, and a day
        // with an appointment each is written for them as a practice's history would be.
        db.update(
                """
                INSERT INTO appointment (id, organization_id, practitioner_id, site_id, motive_id, specialty_code,
                                         org_patient_id, start_at, end_at, status, created_at, updated_at)
                SELECT gen_random_uuid(), ?, ?, ?, ?, 'medecin-generaliste', p.id,
                       ? - d * INTERVAL '1 day', ? - d * INTERVAL '1 day' + INTERVAL '30 minutes', 'SEEN', now(), now()
                  FROM generate_series(60, 400) AS d
                  JOIN LATERAL (SELECT id FROM org_patient WHERE organization_id = ? ORDER BY id OFFSET d LIMIT 1) p ON true
                """,
                practice.organizationId(),
                practice.practitionerId(),
                practice.siteId(),
                practice.motiveId(),
                utc(clock.instant()),
                utc(clock.instant()),
                practice.organizationId());
        for (LocalDate day = today.minusDays(60); day.isAfter(today.minusDays(400)); day = day.minusDays(1)) {
            Response r = desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from=" + day
                    + "&to=" + day.plusDays(1));
            if (r.status() != 200) {
                stopped = r;
                break;
            }
            days++;
        }

        assertThat(stopped).isNotNull();
        assertThat(stopped.status()).isEqualTo(403);
        assertThat(days).isLessThan(30);
        assertThat(admin().get("/api/v1/staff/guard-alerts")
                        .body()
                        .get(0)
                        .path("signal")
                        .asString())
                .isEqualTo("STAFF_FAR_READS");
    }

    @Test
    void aNormalDayAtTheDeskIsNeverContained() {
        // Eight hours: each hour the day's agenda and one three weeks ahead, five callers found as the name
        // is typed (two letters, three, then the full name), their entry opened and an appointment booked.
        LocalDate today = LocalDate.ofInstant(clock.instant(), Fixtures.PARIS);
        Instant nine = today.atTime(9, 0).atZone(Fixtures.PARIS).toInstant();
        String[] starts = {"ma", "du", "le", "be", "ro", "pe", "la", "mo", "bo", "ga", "fa", "ri", "sa", "ch", "de"};
        // As in a real file, a first two letters are shared by many names: a short search fills its page.
        for (String two : starts) {
            db.update("""
                    INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, phone, search_name,
                                             created_at)
                    SELECT gen_random_uuid(), ?, 'Dominique', initcap(? || s), DATE '1950-01-01' + length(s),
                           '+33 6 00 00 00 00', ? || s || ' dominique', now()
                      FROM unnest(ARRAY['rin', 'ssard', 'llet', 'rtel', 'chon', 'guin', 'zet', 'lard', 'nier', 'pin',
                                        'ton', 'rcel']) AS s
                    """, practice.organizationId(), two, two);
        }
        Set<String> shown = new java.util.HashSet<>();
        int caller = 0;
        for (int hour = 0; hour < 8; hour++) {
            clock.set(nine.plus(Duration.ofHours(hour)));
            assertThat(desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from=" + today
                                    + "&to=" + today.plusDays(1))
                            .status())
                    .isEqualTo(200);
            assertThat(desk.get("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments?from="
                                    + today.plusDays(21) + "&to=" + today.plusDays(28))
                            .status())
                    .isEqualTo(200);
            for (int call = 0; call < 5; call++, caller++) {
                clock.set(clock.instant().plus(Duration.ofMinutes(11)));
                String two = starts[caller % starts.length];
                String name = two + "mond";
                for (String typed : List.of(two, two + "m", name)) {
                    Response found = desk.get("/api/v1/staff/patients?name=" + typed + "&size=10");
                    assertThat(found.status())
                            .as("search %s at %s", typed, clock.instant())
                            .isEqualTo(200);
                    shown.addAll(found.body().path("items").findValuesAsString("id"));
                }
                String id = desk.get("/api/v1/staff/patients?name=" + name)
                        .body()
                        .path("items")
                        .get(0)
                        .path("id")
                        .asString();
                assertThat(desk.get("/api/v1/staff/patients/" + id).status()).isEqualTo(200);
                Map<String, Object> booking = new HashMap<>();
                booking.put("motiveId", practice.motiveId());
                booking.put("siteId", practice.siteId());
                LocalDate day = today.plusDays(7 + caller / 6);
                if (day.getDayOfWeek() == java.time.DayOfWeek.SUNDAY) {
                    day = day.plusDays(1);
                }
                booking.put(
                        "start",
                        day.atTime(9, 0)
                                .plusMinutes(30L * (caller % 6))
                                .atZone(Fixtures.PARIS)
                                .toInstant()
                                .toString());
                booking.put("orgPatientId", id);
                assertThat(desk.post("/api/v1/staff/agendas/" + practice.practitionerId() + "/appointments", booking)
                                .status())
                        .as("booking %s", caller)
                        .isEqualTo(201);
            }
        }

        assertThat(shown).as("distinct patients the searches showed").hasSizeGreaterThan(100);
        ApiClient admin = admin();
        assertThat(admin.get("/api/v1/staff/guard-alerts").body()).isEmpty();
        assertThat(admin.get("/api/v1/staff/contained-accounts").body()).isEmpty();
    }
}
