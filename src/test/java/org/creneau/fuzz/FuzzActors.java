package org.creneau.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.creneau.apps.SmartScope;
import org.creneau.support.ApiClient;
import org.creneau.support.ApiClient.Response;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.GrantedApp;
import org.creneau.support.MutableClock;

/**
 * The actors the fuzz test sends requests as, each signed in through the real login (staff with
 * their second factor) in a practice of its own that holds something to point at: an appointment,
 * a relative, a waiting-list entry, an absence, a grant, a registered app.
 */
final class FuzzActors {

    static final List<String> NAMES = List.of("anonymous", "patient", "secretary", "org-admin", "platform-admin");
    static final String SPECIALTY = "dermatologue";
    /** Tuesday 5 January 2027, 09:00 in Paris: inside every fixture practice's opening hours. */
    private static final String TUESDAY_9 = "2027-01-05T08:00:00Z";

    private final int port;
    private final MutableClock clock;
    private final Fixtures fixtures;

    FuzzActors(int port, MutableClock clock, Fixtures fixtures) {
        this.port = port;
        this.clock = clock;
        this.fixtures = fixtures;
    }

    /**
     * A signed-in actor; {@code client} keeps its session to check it is still signed in, and
     * {@code email} signs it in again (null for anonymous).
     */
    record Signed(String name, ApiClient client, String email, Map<String, List<String>> known) {

        ApiRequests.Actor actor(String address) {
            return new ApiRequests.Actor(name, client.cookie("SESSION"), client.cookie("XSRF-TOKEN"), known, address);
        }

        /** True while the session still signs this actor in (anonymous: always). */
        boolean stillSignedIn() {
            return email == null || client.get("/api/v1/me").status() == 200;
        }
    }

    /**
     * Signs the actor in again after a request ended its session (a logout, a new login): staff with
     * the code of a step their account has not used yet, so the clock moves on by one step first.
     */
    Signed signInAgain(Signed signed) {
        if (signed.name().equals("patient")) {
            signed.client().login(signed.email(), Fixtures.PASSWORD);
        } else {
            clock.advance(java.time.Duration.ofSeconds(30));
            signed.client().loginStaff(signed.email(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
        }
        return signed;
    }

    Signed create(String name) {
        Practice practice = fixtures.practice(SPECIALTY);
        Map<String, List<String>> known = new HashMap<>();
        put(known, "practitionerId", practice.practitionerId());
        put(known, "siteId", practice.siteId());
        put(known, "motiveId", practice.motiveId(), practice.followUpMotiveId(), practice.phoneOnlyMotiveId());
        put(known, "motiveIds", practice.motiveId(), practice.followUpMotiveId());
        put(known, "practitionerIds", practice.practitionerId());
        known.put("specialty", List.of(SPECIALTY));
        known.put("start", List.of("2027-01-05T08:30:00Z", "2027-01-06T09:00:00Z", TUESDAY_9));
        ApiClient client;
        String email = null;
        switch (name) {
            case "anonymous" -> {
                client = new ApiClient(port);
                client.get("/api/v1/auth/csrf");
                put(known, "id", UUID.fromString(book(practice)));
            }
            case "patient" -> {
                client = new ApiClient(port);
                email = email("patient");
                client.registerAndLogin(email);
                String appointment = hold(client, practice, TUESDAY_9);
                client.post("/api/v1/appointments/" + appointment + "/confirm", null);
                String relative = client.post(
                                "/api/v1/me/relatives",
                                Map.of(
                                        "relationship",
                                        "CHILD",
                                        "firstName",
                                        "Léa",
                                        "lastName",
                                        "Testeuse",
                                        "birthDate",
                                        "2015-06-01"))
                        .text("id");
                String entry = client.post(
                                "/api/v1/waitlist",
                                Map.of("practitionerId", practice.practitionerId(), "motiveId", practice.motiveId()))
                        .text("id");
                putText(known, "id", appointment, entry);
                putText(known, "relativeId", relative);
            }
            case "secretary" -> {
                String appointment = book(practice);
                client = new ApiClient(port, clock);
                email = practice.staffEmail();
                client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
                String base = "/api/v1/staff/agendas/" + practice.practitionerId();
                String absence = client.post(
                                base + "/absences",
                                Map.of("from", "2027-02-01T08:00:00Z", "to", "2027-02-01T10:00:00Z", "reason", "Fuzz"))
                        .text("id");
                String range = first(client.get(base + "/opening-ranges"), "id");
                String patient = first(client.get("/api/v1/staff/patients"), "id");
                putText(known, "id", appointment);
                putText(known, "absenceId", absence);
                putText(known, "rangeId", range);
                putText(known, "orgPatientId", patient);
                put(known, "accountId", practice.staffAccountId());
            }
            case "org-admin" -> {
                GrantedApp app = GrantedApp.on(port, clock, fixtures, practice, List.of("system/Appointment.rs"));
                client = app.orgAdmin();
                email = practice.adminEmail();
                putText(known, "grantId", app.grantId());
                put(known, "accountId", practice.staffAccountId());
                known.put("scopes", SmartScope.ALL);
            }
            case "platform-admin" -> {
                client = new ApiClient(port, clock);
                email = fixtures.platformAdmin();
                client.loginStaff(email, Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
                Response registered = client.post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel fuzz",
                                "contact",
                                "securite@editeur.example",
                                "jwksUrl",
                                "https://editeur.example/jwks.json",
                                "scopes",
                                List.of("system/Appointment.rs")));
                putText(known, "id", registered.text("id"));
            }
            default -> throw new IllegalArgumentException(name);
        }
        return new Signed(name, client, email, Map.copyOf(known));
    }

    /** A patient of the practice holds and confirms Tuesday 9:00; returns the appointment id. */
    private String book(Practice practice) {
        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(email("booker"));
        String id = hold(patient, practice, TUESDAY_9);
        patient.post("/api/v1/appointments/" + id + "/confirm", null);
        return id;
    }

    private static String hold(ApiClient patient, Practice practice, String start) {
        Response held = patient.post(
                "/api/v1/appointments",
                Map.of(
                        "practitionerId", practice.practitionerId(),
                        "siteId", practice.siteId(),
                        "motiveId", practice.motiveId(),
                        "start", start));
        if (held.status() != 201) {
            throw new AssertionError("the fuzz fixture could not book: " + held.status() + " " + held.body());
        }
        return held.text("id");
    }

    private static String first(Response list, String field) {
        var items = list.body().has("items") ? list.body().path("items") : list.body();
        return items.isArray() && !items.isEmpty() ? items.get(0).path(field).asString(null) : null;
    }

    private static String email(String role) {
        return "fuzz-" + role + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }

    private static void put(Map<String, List<String>> known, String name, UUID... ids) {
        List<String> values = new ArrayList<>(known.getOrDefault(name, List.of()));
        for (UUID id : ids) {
            values.add(id.toString());
        }
        known.put(name, List.copyOf(values));
    }

    private static void putText(Map<String, List<String>> known, String name, String... ids) {
        List<String> values = new ArrayList<>(known.getOrDefault(name, List.of()));
        for (String id : ids) {
            if (id != null) {
                values.add(id);
            }
        }
        known.put(name, List.copyOf(values));
    }
}
