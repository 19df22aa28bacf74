package org.creneau.demo;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.booking.AppointmentImport;
import org.creneau.booking.AppointmentImport.ImportedAppointment;
import org.creneau.directory.Directory;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.DirectoryAdministration.NewPractitioner;
import org.creneau.directory.DirectoryAdministration.NewSite;
import org.creneau.directory.DirectoryAdministration.OrganizationKind;
import org.creneau.directory.RppsNumber;
import org.creneau.identity.Accounts;
import org.creneau.patients.OrgPatients;
import org.creneau.patients.Patients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Generates the demo: organizations in Paris, Lyon, Marseille and Bordeaux (one a health centre
 * with two sites), 44 practitioners over 12 specialties, opening ranges, absences, patients and
 * existing appointments. The same seed gives the same practices, people, agendas and times.
 */
@Component
public class DemoData {

    public static final String DEMO_PASSWORD = "Creneau-demo-2026!";
    public static final String PATIENT_LOGIN = "camille.martin@demo.creneau.fr";
    public static final String SECRETARY_LOGIN = "accueil@voltaire.demo.creneau.fr";
    public static final String PRACTITIONER_LOGIN = "dr.lefebvre@voltaire.demo.creneau.fr";
    public static final String ADMIN_LOGIN = "direction@voltaire.demo.creneau.fr";
    /**
     * The TOTP secret both demo staff accounts are enrolled with, printed at startup so anyone can
     * add it to an authenticator app. Public on purpose: it protects demo data only.
     */
    public static final String STAFF_TOTP_SECRET = "K6YWHTIAAH4IZROVIK3AE7TQHK6MDK42";

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String[] SPECIALTIES = {
        "medecin-generaliste", "pediatre", "dermatologue", "ophtalmologue", "gynecologue", "chirurgien-dentiste",
        "masseur-kinesitherapeute", "psychiatre", "cardiologue", "orl", "sage-femme", "osteopathe"
    };
    /** French first names the demo (and the benchmark) draws from. */
    public static final List<String> FIRST_NAMES = List.of(
            "Camille",
            "Léa",
            "Manon",
            "Chloé",
            "Inès",
            "Sarah",
            "Julie",
            "Claire",
            "Émilie",
            "Anne",
            "Sophie",
            "Marie",
            "Thomas",
            "Nicolas",
            "Julien",
            "Antoine",
            "Maxime",
            "Hugo",
            "Lucas",
            "Pierre",
            "Karim",
            "Mehdi",
            "Yanis",
            "Paul",
            "Louis",
            "Nathalie",
            "Isabelle",
            "Aurélie",
            "Mathieu",
            "Olivier");
    /** French last names the demo (and the benchmark) draws from. */
    public static final List<String> LAST_NAMES = List.of(
            "Martin",
            "Bernard",
            "Dubois",
            "Thomas",
            "Robert",
            "Richard",
            "Petit",
            "Durand",
            "Leroy",
            "Moreau",
            "Simon",
            "Laurent",
            "Lefebvre",
            "Michel",
            "Garcia",
            "David",
            "Bertrand",
            "Roux",
            "Vincent",
            "Fournier",
            "Morel",
            "Girard",
            "André",
            "Mercier",
            "Dupont",
            "Lambert",
            "Bonnet",
            "François",
            "Martinez",
            "Benali",
            "Nguyen");

    private record OrgPlan(String name, OrganizationKind kind, int practitioners, List<NewSite> sites) {}

    private static final List<OrgPlan> PLAN = List.of(
            new OrgPlan(
                    "Centre de santé Voltaire",
                    OrganizationKind.HEALTH_CENTRE,
                    12,
                    List.of(
                            new NewSite(
                                    "Site Voltaire",
                                    "112 boulevard Voltaire",
                                    "75011",
                                    "Paris",
                                    48.8580,
                                    2.3800,
                                    PARIS),
                            new NewSite(
                                    "Site Nation", "8 place de la Nation", "75012", "Paris", 48.8483, 2.3959, PARIS))),
            new OrgPlan(
                    "Cabinet médical Montmartre",
                    OrganizationKind.PRACTICE,
                    5,
                    List.of(new NewSite(
                            "Cabinet Montmartre", "24 rue Caulaincourt", "75018", "Paris", 48.8872, 2.3353, PARIS))),
            new OrgPlan(
                    "Maison de santé Croix-Rousse",
                    OrganizationKind.HEALTH_CENTRE,
                    6,
                    List.of(new NewSite(
                            "Croix-Rousse", "5 place de la Croix-Rousse", "69004", "Lyon", 45.7745, 4.8317, PARIS))),
            new OrgPlan(
                    "Cabinet Bellecour",
                    OrganizationKind.PRACTICE,
                    4,
                    List.of(new NewSite("Bellecour", "18 rue de la Charité", "69002", "Lyon", 45.7560, 4.8320, PARIS))),
            new OrgPlan(
                    "Centre médical du Vieux-Port",
                    OrganizationKind.HEALTH_CENTRE,
                    7,
                    List.of(new NewSite("Vieux-Port", "3 quai du Port", "13002", "Marseille", 43.2961, 5.3699, PARIS))),
            new OrgPlan(
                    "Pôle santé Prado",
                    OrganizationKind.PRACTICE,
                    4,
                    List.of(new NewSite("Prado", "210 avenue du Prado", "13008", "Marseille", 43.2702, 5.3895, PARIS))),
            new OrgPlan(
                    "Cabinet des Chartrons",
                    OrganizationKind.PRACTICE,
                    6,
                    List.of(new NewSite(
                            "Chartrons", "45 cours de Verdun", "33000", "Bordeaux", 44.8500, -0.5730, PARIS))));

    private final TenantScope scope;
    private final DirectoryAdministration directory;
    private final AgendaSettings agendas;
    private final Accounts accounts;
    private final Patients patients;
    private final Directory directoryReads;
    private final OrgPatients orgPatients;
    private final AppointmentImport appointments;
    private final AgendaRights agendaRights;
    private final Clock clock;

    DemoData(
            TenantScope scope,
            DirectoryAdministration directory,
            AgendaSettings agendas,
            Accounts accounts,
            Patients patients,
            Directory directoryReads,
            OrgPatients orgPatients,
            AppointmentImport appointments,
            AgendaRights agendaRights,
            Clock clock) {
        this.scope = scope;
        this.directory = directory;
        this.agendas = agendas;
        this.accounts = accounts;
        this.patients = patients;
        this.directoryReads = directoryReads;
        this.orgPatients = orgPatients;
        this.appointments = appointments;
        this.agendaRights = agendaRights;
        this.clock = clock;
    }

    /** True when the database has no organization yet. */
    public boolean isEmpty() {
        return !directoryReads.hasOrganizations();
    }

    /**
     * Writes the whole demo for a seed, in one transaction: a start killed half-way leaves an empty
     * database, which the next start fills again, never half a demo it would refuse to complete.
     */
    public void generate(long seed) {
        scope.write(Caller.ANONYMOUS, () -> generateInTransaction(seed));
    }

    private void generateInTransaction(long seed) {
        Random random = new Random(seed);
        filed.clear();
        LocalDate today = LocalDate.now(clock.withZone(PARIS));
        List<Person> demoPatients = createPatients(random, 60);
        int practitionerNumber = 0;
        for (OrgPlan plan : PLAN) {
            UUID org = UUID.nameUUIDFromBytes(("demo-org:" + seed + ":" + plan.name()).getBytes());
            Caller.System asOrg = new Caller.System(org);
            int first = practitionerNumber;
            scope.continueAs(asOrg);
            directory.createOrganization(org, plan.name(), plan.kind());
            List<UUID> sites =
                    plan.sites().stream().map(s -> directory.createSite(org, s)).toList();
            List<UUID> practitioners = new ArrayList<>();
            for (int i = 0; i < plan.practitioners(); i++) {
                String specialty = SPECIALTIES[(first + i) % SPECIALTIES.length];
                practitioners.add(
                        createPractitioner(random, org, sites, specialty, first + i, today, demoPatients, plan));
            }
            if (first == 0) {
                createStaff(org, practitioners);
            }
            practitionerNumber += plan.practitioners();
        }
        log.info("Demo data written: {} organizations, {} practitioners", PLAN.size(), practitionerNumber);
    }

    private record Person(
            UUID accountId,
            UUID patientId,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String phone,
            String email) {}

    /** Each organization's file entry of a demo patient, created at their first appointment there. */
    private final Map<String, UUID> filed = new HashMap<>();

    private UUID orgPatient(UUID org, Person who) {
        return filed.computeIfAbsent(org + ":" + who.patientId(), k -> {
            // Filed as an online patient is: by the patient, with their account's details.
            scope.continueAs(new Caller.Patient(who.accountId()));
            UUID id = orgPatients.fileOnlinePatient(org, who.patientId()).orgPatientId();
            scope.continueAs(new Caller.System(org));
            return id;
        });
    }

    private List<Person> createPatients(Random random, int count) {
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String first = i == 0 ? "Camille" : FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
            String last = i == 0 ? "Martin" : LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
            String email = i == 0 ? PATIENT_LOGIN : "patient" + i + "@demo.creneau.fr";
            LocalDate birth = LocalDate.of(1950 + random.nextInt(55), 1 + random.nextInt(12), 1 + random.nextInt(28));
            // 06 00 to 06 29: mobile ranges in use, so each number reads as one (libphonenumber).
            String phone = "+33 6 "
                    + String.format(
                            "%02d %02d %02d %02d",
                            random.nextInt(100) % 30, random.nextInt(100), random.nextInt(100), random.nextInt(100));
            scope.continueAs(Caller.ANONYMOUS);
            UUID account = accounts.create(email, phone, DEMO_PASSWORD, AccountKind.PATIENT);
            scope.continueAs(new Caller.Patient(account));
            UUID patient = patients.registerSelf(account, first, last, birth);
            if (email.equals(PATIENT_LOGIN)) {
                patients.addRelative(
                        account, Patients.Relationship.CHILD, "Jules", "Martin", LocalDate.of(2017, 5, 14));
            }
            people.add(new Person(account, patient, first, last, birth, phone, email));
        }
        return people;
    }

    private UUID createPractitioner(
            Random random,
            UUID org,
            List<UUID> sites,
            String specialty,
            int number,
            LocalDate today,
            List<Person> demoPatients,
            OrgPlan plan) {
        String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
        String last = number == 0 ? "Lefebvre" : LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
        RppsNumber rpps =
                RppsNumber.withCheckDigit("10" + String.format("%08d", 100000 + number * 7919 + random.nextInt(7000)));
        UUID practitioner = directory.createPractitioner(
                org,
                new NewPractitioner(
                        first,
                        last,
                        rpps,
                        specialty,
                        random.nextInt(4) == 0 ? List.of("fr", "en") : List.of("fr"),
                        random.nextInt(6) != 0,
                        60 * (1 + random.nextInt(3)),
                        60 + 30 * random.nextInt(3),
                        24));
        List<UUID> bookable = new ArrayList<>();
        int duration = switch (specialty) {
            case "psychiatre" -> 45;
            case "masseur-kinesitherapeute", "osteopathe", "chirurgien-dentiste" -> 30;
            default -> 20;
        };
        bookable.add(directory.createMotive(
                org,
                practitioner,
                new NewMotive(
                        "Première consultation",
                        duration + 10,
                        true,
                        true,
                        "Apportez votre carte Vitale et vos derniers comptes rendus.",
                        null),
                0));
        bookable.add(directory.createMotive(
                org, practitioner, new NewMotive("Consultation de suivi", duration, true, false, null, null), 1));
        UUID urgent = directory.createMotive(
                org,
                practitioner,
                new NewMotive("Urgence (sur appel au cabinet)", 15, false, true, "Appelez le cabinet.", null),
                2);
        List<UUID> allMotives = List.of(bookable.get(0), bookable.get(1), urgent);
        LocalDate validFrom = today.minusDays(60);
        for (DayOfWeek day : List.of(
                DayOfWeek.MONDAY,
                DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY,
                DayOfWeek.SATURDAY)) {
            if (random.nextInt(6) == 0 || (day == DayOfWeek.SATURDAY && random.nextBoolean())) {
                continue;
            }
            UUID site = sites.get(sites.size() > 1 && day.getValue() % 2 == 0 ? 1 : 0);
            LocalTime morning = LocalTime.of(8 + random.nextInt(2), 0);
            agendas.addOpeningRange(
                    org,
                    new AgendaSettings.NewOpeningRange(
                            practitioner, site, day, morning, LocalTime.of(12, 0), validFrom, null, allMotives));
            if (day != DayOfWeek.SATURDAY) {
                agendas.addOpeningRange(
                        org,
                        new AgendaSettings.NewOpeningRange(
                                practitioner,
                                site,
                                day,
                                LocalTime.of(14, 0),
                                LocalTime.of(17 + random.nextInt(3), 0),
                                validFrom,
                                null,
                                bookable));
            }
        }
        LocalDate off = today.plusDays(3 + random.nextInt(18));
        agendas.addAbsence(
                org,
                practitioner,
                off.atStartOfDay(PARIS).toInstant(),
                off.plusDays(1).atStartOfDay(PARIS).toInstant(),
                "Formation");
        UUID site0 = sites.get(0);
        Set<Instant> taken = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            LocalDate day = today.plusDays(random.nextInt(28) - 7);
            if (day.getDayOfWeek() == DayOfWeek.SUNDAY || day.equals(off)) {
                continue;
            }
            Instant start = ZonedDateTime.of(day, LocalTime.of(9 + random.nextInt(3), 0), PARIS)
                    .toInstant();
            if (!taken.add(start)) {
                continue;
            }
            // The demo login's own agenda stays free, so a newcomer can book at once.
            Person who = demoPatients.get(1 + random.nextInt(demoPatients.size() - 1));
            boolean past = start.isBefore(clock.instant());
            appointments.booked(new ImportedAppointment(
                    org,
                    practitioner,
                    site0,
                    bookable.get(1),
                    specialty,
                    who.patientId(),
                    orgPatient(org, who),
                    who.accountId(),
                    start,
                    start.plus(Duration.ofMinutes(duration)),
                    clock.instant().minus(Duration.ofDays(past ? 30 : 1))));
        }
        return practitioner;
    }

    /**
     * The health centre's staff: a practitioner with every right on their own agenda, a secretary
     * working for the first two doctors only, and the centre's administrator.
     */
    private void createStaff(UUID org, List<UUID> practitioners) {
        Set<AgendaRight> all = EnumSet.allOf(AgendaRight.class);
        UUID doctor = staffAccount(org, PRACTITIONER_LOGIN, StaffRole.PRACTITIONER, practitioners.get(0));
        agendaRights.set(org, doctor, practitioners.get(0), all, null);
        UUID secretary = staffAccount(org, SECRETARY_LOGIN, StaffRole.SECRETARY, null);
        for (UUID agenda : practitioners.subList(0, 2)) {
            agendaRights.set(
                    org,
                    secretary,
                    agenda,
                    EnumSet.of(AgendaRight.VIEW_APPOINTMENTS, AgendaRight.MANAGE_APPOINTMENTS),
                    null);
        }
        staffAccount(org, ADMIN_LOGIN, StaffRole.ORG_ADMIN, null);
    }

    private UUID staffAccount(UUID org, String email, StaffRole role, UUID practitioner) {
        UUID account = accounts.create(email, "+33 1 43 00 00 00", DEMO_PASSWORD, AccountKind.STAFF);
        accounts.addStaffMembership(org, account, email, role, practitioner);
        accounts.provisionTotp(account, STAFF_TOTP_SECRET);
        return account;
    }
}
