package org.creneau.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.creneau.directory.CityKey;
import org.creneau.directory.RppsNumber;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Writes a national-scale directory and agenda history straight into PostgreSQL with COPY, as
 * the owner role (which owns the tables, so row-level security does not apply to it): patients,
 * organizations of 1–10 practitioners in 20 French cities (weighted by population), each
 * practitioner with 2 motives and Monday–Friday opening ranges, and BOOKED appointments that
 * never overlap within an agenda, over the past and next weeks. Every constraint, index and
 * foreign key of the schema stays in place while loading.
 */
final class DataGenerator {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final int BLOCK_MINUTES = 20;

    record City(String name, String postcode, double latitude, double longitude, int populationThousands) {}

    /** The 20 largest French cities; practitioners are spread in proportion to population. */
    static final List<City> CITIES = List.of(
            new City("Paris", "75011", 48.8566, 2.3522, 2103),
            new City("Marseille", "13001", 43.2965, 5.3698, 873),
            new City("Lyon", "69002", 45.7640, 4.8357, 522),
            new City("Toulouse", "31000", 43.6047, 1.4442, 504),
            new City("Nice", "06000", 43.7102, 7.2620, 348),
            new City("Nantes", "44000", 47.2184, -1.5536, 323),
            new City("Montpellier", "34000", 43.6108, 3.8767, 302),
            new City("Strasbourg", "67000", 48.5734, 7.7521, 291),
            new City("Bordeaux", "33000", 44.8378, -0.5792, 261),
            new City("Lille", "59000", 50.6292, 3.0573, 236),
            new City("Rennes", "35000", 48.1173, -1.6778, 225),
            new City("Toulon", "83000", 43.1242, 5.9280, 180),
            new City("Reims", "51100", 49.2583, 4.0317, 178),
            new City("Saint-Étienne", "42000", 45.4397, 4.3872, 173),
            new City("Le Havre", "76600", 49.4944, 0.1079, 165),
            new City("Dijon", "21000", 47.3220, 5.0415, 160),
            new City("Grenoble", "38000", 45.1885, 5.7245, 157),
            new City("Angers", "49000", 47.4784, -0.5632, 157),
            new City("Villeurbanne", "69100", 45.7719, 4.8902, 156),
            new City("Nîmes", "30000", 43.8367, 4.3601, 148));

    /** The demo's French names: one list for the demo and the benchmark. */
    private static final String[] FIRST_NAMES = org.creneau.demo.DemoData.FIRST_NAMES.toArray(String[]::new);

    private static final String[] LAST_NAMES = org.creneau.demo.DemoData.LAST_NAMES.toArray(String[]::new);

    private static final String[] STREETS = {
        "rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo", "rue Pasteur", "place de la Mairie",
        "rue Gambetta", "avenue de la Gare", "rue du Général de Gaulle", "cours Carnot", "rue Voltaire"
    };
    private static final LocalTime[] MORNING_STARTS = {LocalTime.of(8, 0), LocalTime.of(8, 30), LocalTime.of(9, 0)};
    private static final LocalTime[] AFTERNOON_ENDS = {LocalTime.of(17, 0), LocalTime.of(18, 0), LocalTime.of(19, 0)};

    /** One generated agenda: a practitioner, where and when they receive, and their two motives. */
    record Agenda(
            UUID practitionerId,
            UUID organizationId,
            UUID siteId,
            String city,
            String specialty,
            UUID shortMotiveId,
            UUID longMotiveId,
            LocalTime morningStart,
            LocalTime afternoonEnd) {

        static final LocalTime MORNING_END = LocalTime.of(12, 0);
        static final LocalTime AFTERNOON_START = LocalTime.of(14, 0);
    }

    record Person(UUID accountId, UUID patientId) {}

    record Generated(
            List<String> specialties,
            List<Agenda> agendas,
            List<Person> patients,
            int organizations,
            long appointments,
            Map<String, Integer> practitionersByCity,
            Duration directoryTime,
            Duration appointmentTime) {}

    private final String ownerUrl;
    private final BenchSettings settings;
    private final Random random;
    private final LocalDate today;
    private final Instant now;

    DataGenerator(String ownerUrl, BenchSettings settings, Instant now) {
        this.ownerUrl = ownerUrl;
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.now = now;
        this.today = LocalDate.ofInstant(now, PARIS);
    }

    Generated generate() throws Exception {
        long started = System.nanoTime();
        List<String> specialties;
        List<Person> patients;
        List<Agenda> agendas = new ArrayList<>();
        Map<String, Integer> byCity = new LinkedHashMap<>();
        int organizations;
        try (Connection c = connect()) {
            specialties = specialties(c);
            patients = writePatients(c);
            organizations = writeDirectory(c, specialties, agendas, byCity);
            c.commit();
        }
        Duration directoryTime = Duration.ofNanos(System.nanoTime() - started);
        Benchmark.progress(
                "Directory written: %,d practitioners in %,d organizations, %,d patients (%.1f s)",
                agendas.size(), organizations, patients.size(), directoryTime.toMillis() / 1000.0);
        started = System.nanoTime();
        long appointments = writeAppointments(agendas, patients);
        Duration appointmentTime = Duration.ofNanos(System.nanoTime() - started);
        return new Generated(
                specialties, agendas, patients, organizations, appointments, byCity, directoryTime, appointmentTime);
    }

    /** VACUUM (ANALYZE) of every table written, so plans see the real sizes and no autovacuum runs mid-measure. */
    void vacuumAnalyze() throws SQLException {
        try (Connection c = DriverManager.getConnection(ownerUrl);
                Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) account, patient, organization, site, practitioner, visit_motive,"
                    + " opening_range, opening_range_motive, practitioner_site, appointment");
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(ownerUrl);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // Only the loading session: the data is thrown away after the run anyway.
            s.execute("SET synchronous_commit = off");
        }
        return c;
    }

    private static List<String> specialties(Connection c) throws SQLException {
        List<String> codes = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT code FROM specialty ORDER BY position")) {
            while (rs.next()) {
                codes.add(rs.getString(1));
            }
        }
        return codes;
    }

    private List<Person> writePatients(Connection c) throws SQLException, IOException {
        List<Person> people = new ArrayList<>(settings.patients());
        for (int i = 0; i < settings.patients(); i++) {
            people.add(new Person(uuid(random), uuid(random)));
        }
        try (Copy copy = new Copy(c, "account (id, email, phone, password_hash, kind)")) {
            for (int i = 0; i < people.size(); i++) {
                copy.row(
                        people.get(i).accountId(),
                        "bench-patient-" + i + "@bench.creneau.test",
                        String.format("+33 6 %02d %02d %02d %02d", i % 100, (i / 100) % 100, (i / 10_000) % 100, 42),
                        "{argon2}not-a-usable-hash",
                        "PATIENT");
            }
        }
        try (Copy copy = new Copy(c, "patient (id, account_id, kind, first_name, last_name, birth_date)")) {
            for (Person p : people) {
                copy.row(
                        p.patientId(),
                        p.accountId(),
                        "SELF",
                        pick(FIRST_NAMES),
                        pick(LAST_NAMES),
                        LocalDate.of(1940 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28)));
            }
        }
        return people;
    }

    private int writeDirectory(
            Connection c, List<String> specialties, List<Agenda> agendas, Map<String, Integer> byCity)
            throws SQLException, IOException {
        int[] perCity = apportion(settings.practitioners());
        record Org(UUID id, String name, String kind, UUID siteId, City city, double lat, double lon, int size) {}
        List<Org> orgs = new ArrayList<>();
        for (int ci = 0; ci < CITIES.size(); ci++) {
            City city = CITIES.get(ci);
            byCity.put(city.name(), perCity[ci]);
            int left = perCity[ci];
            while (left > 0) {
                int size = Math.min(left, 1 + random.nextInt(10));
                left -= size;
                String lastName = pick(LAST_NAMES);
                String kind = size >= 4 ? "HEALTH_CENTRE" : "PRACTICE";
                String name = (size >= 4 ? "Centre de santé " + lastName : "Cabinet " + lastName) + " " + city.name();
                orgs.add(new Org(
                        uuid(random),
                        name,
                        kind,
                        uuid(random),
                        city,
                        city.latitude() + random.nextGaussian() * 0.02,
                        city.longitude() + random.nextGaussian() * 0.03,
                        size));
            }
        }
        try (Copy copy = new Copy(c, "organization (id, name, kind)")) {
            for (Org o : orgs) {
                copy.row(o.id(), o.name(), o.kind());
            }
        }
        try (Copy copy = new Copy(
                c,
                "site (id, organization_id, name, address_line, postcode, city, city_key, latitude, longitude,"
                        + " time_zone)")) {
            for (Org o : orgs) {
                copy.row(
                        o.siteId(),
                        o.id(),
                        o.name(),
                        (1 + random.nextInt(150)) + " " + pick(STREETS),
                        o.city().postcode(),
                        o.city().name(),
                        CityKey.of(o.city().name()),
                        o.lat(),
                        o.lon(),
                        PARIS.getId());
            }
        }
        int number = 0;
        try (Copy copy =
                new Copy(c, "practitioner (id, organization_id, first_name, last_name, rpps, specialty_code)")) {
            for (Org o : orgs) {
                for (int i = 0; i < o.size(); i++) {
                    Agenda a = new Agenda(
                            uuid(random),
                            o.id(),
                            o.siteId(),
                            o.city().name(),
                            specialties.get(random.nextInt(specialties.size())),
                            uuid(random),
                            uuid(random),
                            MORNING_STARTS[random.nextInt(MORNING_STARTS.length)],
                            AFTERNOON_ENDS[random.nextInt(AFTERNOON_ENDS.length)]);
                    agendas.add(a);
                    String rpps = RppsNumber.withCheckDigit("10" + String.format("%08d", number++))
                            .value();
                    copy.row(a.practitionerId(), o.id(), pick(FIRST_NAMES), pick(LAST_NAMES), rpps, a.specialty());
                }
            }
        }
        try (Copy copy =
                new Copy(c, "visit_motive (id, organization_id, practitioner_id, label, duration_minutes, position)")) {
            for (Agenda a : agendas) {
                copy.row(a.shortMotiveId(), a.organizationId(), a.practitionerId(), "Consultation", BLOCK_MINUTES, 0);
                copy.row(
                        a.longMotiveId(),
                        a.organizationId(),
                        a.practitionerId(),
                        "Première consultation",
                        2 * BLOCK_MINUTES,
                        1);
            }
        }
        LocalDate validFrom = today.minusWeeks(settings.weeksBefore() + 1L);
        List<Object[]> rangeMotives = new ArrayList<>();
        try (Copy copy = new Copy(
                c,
                "opening_range (id, organization_id, practitioner_id, site_id, weekday, start_time, end_time,"
                        + " valid_from)")) {
            for (Agenda a : agendas) {
                for (int day = DayOfWeek.MONDAY.getValue(); day <= DayOfWeek.FRIDAY.getValue(); day++) {
                    UUID morning = uuid(random);
                    UUID afternoon = uuid(random);
                    copy.row(
                            morning,
                            a.organizationId(),
                            a.practitionerId(),
                            a.siteId(),
                            day,
                            a.morningStart(),
                            Agenda.MORNING_END,
                            validFrom);
                    copy.row(
                            afternoon,
                            a.organizationId(),
                            a.practitionerId(),
                            a.siteId(),
                            day,
                            Agenda.AFTERNOON_START,
                            a.afternoonEnd(),
                            validFrom);
                    for (UUID range : List.of(morning, afternoon)) {
                        rangeMotives.add(new Object[] {a.organizationId(), range, a.shortMotiveId()});
                        rangeMotives.add(new Object[] {a.organizationId(), range, a.longMotiveId()});
                    }
                }
            }
        }
        try (Copy copy = new Copy(c, "opening_range_motive (organization_id, opening_range_id, motive_id)")) {
            for (Object[] row : rangeMotives) {
                copy.row(row);
            }
        }
        // Where each practitioner consults, as the directory states it (the application keeps it in step).
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO practitioner_site (organization_id, practitioner_id, site_id)"
                    + " SELECT DISTINCT organization_id, practitioner_id, site_id FROM opening_range");
        }
        return orgs.size();
    }

    /** Practitioners per city in proportion to population (largest remainder). */
    static int[] apportion(int total) {
        int weightSum = CITIES.stream().mapToInt(City::populationThousands).sum();
        int[] counts = new int[CITIES.size()];
        double[] remainders = new double[CITIES.size()];
        int given = 0;
        for (int i = 0; i < counts.length; i++) {
            double exact = (double) total * CITIES.get(i).populationThousands() / weightSum;
            counts[i] = (int) Math.floor(exact);
            remainders[i] = exact - counts[i];
            given += counts[i];
        }
        while (given < total) {
            int best = 0;
            for (int i = 1; i < counts.length; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            given++;
        }
        return counts;
    }

    /** The working days (Monday–Friday) the appointments are spread over. */
    private List<LocalDate> agendaDays() {
        List<LocalDate> days = new ArrayList<>();
        LocalDate from = today.minusWeeks(settings.weeksBefore());
        LocalDate to = today.plusWeeks(settings.weeksAfter());
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            if (d.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue()) {
                days.add(d);
            }
        }
        return days;
    }

    private long writeAppointments(List<Agenda> agendas, List<Person> patients) throws Exception {
        List<LocalDate> days = agendaDays();
        int threads = Math.min(settings.loadThreads(), agendas.size());
        int base = settings.appointments() / agendas.size();
        int extra = settings.appointments() % agendas.size();
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int part = t;
                parts.add(pool.submit(() -> {
                    Random r = new Random(settings.seed() * 31 + part);
                    try (Connection c = connect();
                            Copy copy = new Copy(
                                    c,
                                    "appointment (id, organization_id, practitioner_id, site_id, motive_id,"
                                            + " specialty_code, patient_id, booked_by_account_id, start_at, end_at,"
                                            + " status, created_at, updated_at)")) {
                        for (int i = part; i < agendas.size(); i += threads) {
                            int count = base + (i < extra ? 1 : 0);
                            written.addAndGet(writeAgenda(copy, r, agendas.get(i), days, count, patients));
                        }
                        copy.close();
                        c.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return written.get();
    }

    /**
     * {@code count} appointments in one agenda, on distinct 20-minute blocks of its opening
     * ranges (a quarter of them 40 minutes long over two free blocks), so none overlap.
     */
    private int writeAgenda(Copy copy, Random r, Agenda a, List<LocalDate> days, int count, List<Person> patients)
            throws IOException {
        int morningBlocks =
                (int) Duration.between(a.morningStart(), Agenda.MORNING_END).toMinutes() / BLOCK_MINUTES;
        int afternoonBlocks =
                (int) Duration.between(Agenda.AFTERNOON_START, a.afternoonEnd()).toMinutes() / BLOCK_MINUTES;
        int perDay = morningBlocks + afternoonBlocks;
        int blocks = days.size() * perDay;
        if (count > blocks * 0.8) {
            throw new IllegalStateException("Too many appointments per agenda (" + count + " for " + blocks
                    + " blocks): raise bench.weeksBefore/bench.weeksAfter or bench.practitioners");
        }
        // Selection sampling: exactly count distinct blocks, in order.
        int[] chosen = new int[count];
        int n = 0;
        for (int i = 0; i < blocks && n < count; i++) {
            if (r.nextInt(blocks - i) < count - n) {
                chosen[n++] = i;
            }
        }
        for (int q = 0; q < n; q++) {
            int block = chosen[q];
            LocalDate day = days.get(block / perDay);
            int inDay = block % perDay;
            boolean morning = inDay < morningBlocks;
            int inRange = morning ? inDay : inDay - morningBlocks;
            int rangeBlocks = morning ? morningBlocks : afternoonBlocks;
            LocalTime rangeStart = morning ? a.morningStart() : Agenda.AFTERNOON_START;
            boolean nextFree = q + 1 >= n || chosen[q + 1] != block + 1;
            boolean isLong = inRange % 2 == 0 && inRange + 1 < rangeBlocks && nextFree && r.nextInt(4) == 0;
            int minutes = isLong ? 2 * BLOCK_MINUTES : BLOCK_MINUTES;
            Instant start = ZonedDateTime.of(day, rangeStart.plusMinutes((long) inRange * BLOCK_MINUTES), PARIS)
                    .toInstant();
            Instant created = (start.isBefore(now) ? start : now).minus(Duration.ofDays(1 + r.nextInt(30)));
            Person who = patients.get(r.nextInt(patients.size()));
            copy.row(
                    uuid(r),
                    a.organizationId(),
                    a.practitionerId(),
                    a.siteId(),
                    isLong ? a.longMotiveId() : a.shortMotiveId(),
                    a.specialty(),
                    who.patientId(),
                    who.accountId(),
                    start,
                    start.plus(Duration.ofMinutes(minutes)),
                    "BOOKED",
                    created,
                    created);
        }
        return n;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** A version-4 UUID from a seeded generator, so a seed gives the same data. */
    static UUID uuid(Random r) {
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo);
    }

    /** One COPY ... FROM STDIN in text format, fed row by row. */
    static final class Copy implements AutoCloseable {

        private final PGCopyOutputStream out;
        private final StringBuilder buffer = new StringBuilder(1 << 16);
        private boolean closed;

        Copy(Connection c, String tableAndColumns) throws SQLException {
            this.out = new PGCopyOutputStream(c.unwrap(PGConnection.class), "COPY " + tableAndColumns + " FROM STDIN");
        }

        void row(Object... values) throws IOException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                Object v = values[i];
                if (v == null) {
                    buffer.append("\\N");
                } else {
                    // Generated values hold no tab, newline or backslash: no escaping needed.
                    buffer.append(v);
                }
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 16) - 512) {
                flush();
            }
        }

        private void flush() throws IOException {
            out.write(buffer.toString().getBytes(StandardCharsets.UTF_8));
            buffer.setLength(0);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            flush();
            out.close();
        }
    }
}
