package org.creneau.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.RppsNumber;
import org.creneau.support.ApiClient;
import org.creneau.support.BenchFixtures;
import org.creneau.support.Fixtures;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The practice day of the workspace ({@code GET /cabinet/journee}) for a secretary with six agendas
 * of 40 appointments each that day, drawn again and again over one signed-in session: the time of
 * each page from request to last byte over loopback (the server's render time, plus the loopback
 * round trip), and the open page's poll when nothing changed (the 204 of the stamp check).
 */
final class WorkspaceDay {

    static final int PRACTITIONERS = 6;
    static final int APPOINTMENTS_EACH = 40;
    static final int MOTIVE_MINUTES = 15;
    static final LocalTime OPENS = LocalTime.of(8, 0);
    static final LocalTime CLOSES = LocalTime.of(19, 0);
    static final double TARGET_P95_MS = 200;

    record Result(
            int practitioners,
            int appointmentsEach,
            int warmup,
            int requests,
            Latencies page,
            Latencies poll,
            int rowsShown,
            Duration seed,
            String postgresVersion) {
        boolean met() {
            return page.percentileMs(95) < TARGET_P95_MS;
        }
    }

    private final Path dataDir;
    private final int warmup = Integer.getInteger("bench.workspaceWarmup", 30);
    private final int requests = Integer.getInteger("bench.workspaceRequests", 200);

    WorkspaceDay(Path dataDir) {
        this.dataDir = dataDir;
    }

    Result run() throws Exception {
        ConfigurableApplicationContext app = null;
        try {
            app = BenchContexts.start(dataDir, BenchContexts.raisedGuard());
            int port = BenchContexts.port(app);
            Clock clock = app.getBean(Clock.class);
            long started = System.nanoTime();
            Fixtures fixtures = BenchFixtures.of(app);
            Fixtures.Practice practice = fixtures.practice("medecin-generaliste");
            ZoneId zone = Fixtures.PARIS;
            LocalDate day = LocalDate.now(clock.withZone(zone)).plusDays(7);
            while (day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                day = day.plusDays(1);
            }
            Map<UUID, UUID> agendas = agendas(app, practice, day);
            ApiClient desk = new ApiClient(port, clock);
            desk.loginStaff(practice.staffEmail(), Fixtures.PASSWORD, Fixtures.TOTP_SECRET);
            int n = 0;
            for (Map.Entry<UUID, UUID> agenda : agendas.entrySet()) {
                for (int i = 0; i < APPOINTMENTS_EACH; i++) {
                    n++;
                    var start = day.atTime(OPENS)
                            .plusMinutes((long) MOTIVE_MINUTES * i)
                            .atZone(zone)
                            .toInstant();
                    ApiClient.Response booked = desk.post(
                            "/api/v1/staff/agendas/" + agenda.getKey() + "/appointments",
                            Map.of(
                                    "motiveId", agenda.getValue(),
                                    "siteId", practice.siteId(),
                                    "start", start.toString(),
                                    "patient",
                                            Map.of(
                                                    "firstName",
                                                    "Patient",
                                                    "lastName",
                                                    "Journee" + n,
                                                    "birthDate",
                                                    "1980-01-01",
                                                    "phone",
                                                    String.format("+33 6 %08d", n))));
                    if (booked.status() != 201) {
                        throw new IllegalStateException(
                                "seeding the day failed: " + booked.raw().body());
                    }
                }
            }
            Duration seed = Duration.ofNanos(System.nanoTime() - started);
            Benchmark.progress(
                    "Workspace day: %d agendas of %d appointments on %s seeded in %.1f s",
                    PRACTITIONERS, APPOINTMENTS_EACH, day, Benchmark.seconds(seed));

            String path = "/cabinet/journee?jour=" + day;
            String first = desk.get(path).raw().body();
            int rows = first.split("class=\"row row-appointment", -1).length - 1;
            if (rows != PRACTITIONERS * APPOINTMENTS_EACH) {
                throw new IllegalStateException(
                        "the day shows " + rows + " appointments, not " + PRACTITIONERS * APPOINTMENTS_EACH);
            }
            String poll = refreshOf(first);
            Latencies page = new Latencies();
            Latencies polls = new Latencies();
            for (int i = 0; i < warmup + requests; i++) {
                long t = System.nanoTime();
                ApiClient.Response drawn = desk.get(path);
                long pageNanos = System.nanoTime() - t;
                if (drawn.status() != 200) {
                    throw new IllegalStateException("the day answered " + drawn.status());
                }
                t = System.nanoTime();
                ApiClient.Response unchanged = desk.get(poll);
                long pollNanos = System.nanoTime() - t;
                if (unchanged.status() != 204) {
                    throw new IllegalStateException("the unchanged day's poll answered " + unchanged.status());
                }
                if (i >= warmup) {
                    page.add(pageNanos);
                    polls.add(pollNanos);
                }
            }
            String version = JdbcClient.create(app.getBean("ownerDataSource", DataSource.class))
                    .sql("SHOW server_version")
                    .query(String.class)
                    .single();
            return new Result(PRACTITIONERS, APPOINTMENTS_EACH, warmup, requests, page, polls, rows, seed, version);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** The poll address the page carries (its region's {@code hx-get}). */
    private static String refreshOf(String page) {
        int at = page.indexOf("hx-get=\"/cabinet/journee/actualiser");
        if (at < 0) {
            throw new IllegalStateException("the day has no poll address");
        }
        int from = at + "hx-get=\"".length();
        return page.substring(from, page.indexOf('"', from)).replace("&amp;", "&");
    }

    /**
     * Six agendas open 08:00–19:00 Monday to Saturday with one 15-minute motive, every right on them
     * for the practice's secretary; practitioner id to motive id.
     */
    private static Map<UUID, UUID> agendas(
            ConfigurableApplicationContext app, Fixtures.Practice practice, LocalDate day) {
        TenantScope scope = app.getBean(TenantScope.class);
        DirectoryAdministration directory = app.getBean(DirectoryAdministration.class);
        AgendaSettings settings = app.getBean(AgendaSettings.class);
        AgendaRights rights = app.getBean(AgendaRights.class);
        UUID org = practice.organizationId();
        Map<UUID, UUID> agendas = new LinkedHashMap<>();
        scope.write(new Caller.System(org), () -> {
            // The fixture's own agenda is left closed for the day: the six are the ones shown.
            rights.set(
                    org, practice.staffAccountId(), practice.practitionerId(), EnumSet.noneOf(AgendaRight.class), null);
            for (int i = 1; i <= PRACTITIONERS; i++) {
                UUID practitioner = directory.createPractitioner(
                        org,
                        new DirectoryAdministration.NewPractitioner(
                                "Camille",
                                "Journee" + i,
                                RppsNumber.withCheckDigit(String.format("17%08d", i)),
                                "medecin-generaliste",
                                List.of("fr"),
                                true,
                                0,
                                120,
                                24));
                UUID motive = directory.createMotive(
                        org,
                        practitioner,
                        new DirectoryAdministration.NewMotive("Consultation", MOTIVE_MINUTES, true, true, null, null),
                        0);
                for (DayOfWeek weekday : EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY)) {
                    settings.addOpeningRange(
                            org,
                            new AgendaSettings.NewOpeningRange(
                                    practitioner,
                                    practice.siteId(),
                                    weekday,
                                    OPENS,
                                    CLOSES,
                                    day.minusDays(30),
                                    null,
                                    List.of(motive)));
                }
                rights.set(org, practice.staffAccountId(), practitioner, EnumSet.allOf(AgendaRight.class), null);
                agendas.put(practitioner, motive);
            }
        });
        return agendas;
    }
}
