package org.creneau.support;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.availability.AgendaSettings;
import org.creneau.directory.DirectoryAdministration;
import org.creneau.directory.DirectoryAdministration.NewMotive;
import org.creneau.directory.DirectoryAdministration.NewPractitioner;
import org.creneau.directory.DirectoryAdministration.NewSite;
import org.creneau.directory.DirectoryAdministration.OrganizationKind;
import org.creneau.directory.RppsNumber;
import org.creneau.identity.Accounts;

/** Builds a small practice of its own for each test, through the application's own services. */
public class Fixtures {

    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    public static final String PASSWORD = "correct-horse-battery-staple";
    /** The TOTP secret every fixture staff account is enrolled with (each account keeps its own used steps). */
    public static final String TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final TenantScope scope;
    private final DirectoryAdministration directory;
    private final AgendaSettings agendas;
    private final Accounts accounts;
    private final AgendaRights rights;

    Fixtures(
            TenantScope scope,
            DirectoryAdministration directory,
            AgendaSettings agendas,
            Accounts accounts,
            AgendaRights rights) {
        this.rights = rights;
        this.scope = scope;
        this.directory = directory;
        this.agendas = agendas;
        this.accounts = accounts;
    }

    /** A practice with one site in the given city and one practitioner open Monday to Saturday. */
    public record Practice(
            UUID organizationId,
            UUID siteId,
            UUID practitionerId,
            UUID motiveId,
            UUID followUpMotiveId,
            UUID phoneOnlyMotiveId,
            String staffEmail,
            UUID staffAccountId,
            String adminEmail,
            String noRightsEmail) {}

    public Practice practice(String specialty, String city, double lat, double lon) {
        int n = SEQUENCE.incrementAndGet();
        UUID org = UUID.randomUUID();
        return scope.write(new Caller.System(org), () -> {
            directory.createOrganization(org, "Cabinet test " + n, OrganizationKind.PRACTICE);
            UUID site = directory.createSite(
                    org, new NewSite("Site " + n, n + " rue de Test", "75011", city, lat, lon, PARIS));
            UUID practitioner = directory.createPractitioner(
                    org,
                    new NewPractitioner(
                            "Alex",
                            "Praticien" + n,
                            RppsNumber.withCheckDigit(String.format("19%08d", n)),
                            specialty,
                            List.of("fr"),
                            true,
                            60,
                            90,
                            24));
            UUID motive = directory.createMotive(
                    org, practitioner, new NewMotive("Consultation", 30, true, true, null, null), 0);
            UUID followUp =
                    directory.createMotive(org, practitioner, new NewMotive("Suivi", 30, true, false, null, null), 1);
            UUID phoneOnly =
                    directory.createMotive(org, practitioner, new NewMotive("Urgence", 15, false, true, null, null), 2);
            for (DayOfWeek day : DayOfWeek.values()) {
                if (day != DayOfWeek.SUNDAY) {
                    agendas.addOpeningRange(
                            org,
                            new AgendaSettings.NewOpeningRange(
                                    practitioner,
                                    site,
                                    day,
                                    LocalTime.of(9, 0),
                                    LocalTime.of(12, 0),
                                    LocalDate.of(2026, 1, 1),
                                    null,
                                    List.of(motive, followUp, phoneOnly)));
                }
            }
            String staffEmail = "staff" + n + "-" + org + "@test.creneau.fr";
            UUID staff = accounts.create(staffEmail, "+33 1 00 00 00 00", PASSWORD, AccountKind.STAFF);
            accounts.addStaffMembership(org, staff, staffEmail, StaffRole.SECRETARY, null);
            accounts.provisionTotp(staff, TOTP_SECRET);
            rights.set(org, staff, practitioner, EnumSet.allOf(AgendaRight.class), null);
            String adminEmail = "admin" + n + "-" + org + "@test.creneau.fr";
            UUID admin = accounts.create(adminEmail, "+33 1 00 00 00 01", PASSWORD, AccountKind.STAFF);
            accounts.addStaffMembership(org, admin, adminEmail, StaffRole.ORG_ADMIN, null);
            accounts.provisionTotp(admin, TOTP_SECRET);
            String noRightsEmail = "norights" + n + "-" + org + "@test.creneau.fr";
            UUID noRights = accounts.create(noRightsEmail, "+33 1 00 00 00 02", PASSWORD, AccountKind.STAFF);
            accounts.addStaffMembership(org, noRights, noRightsEmail, StaffRole.SECRETARY, null);
            accounts.provisionTotp(noRights, TOTP_SECRET);
            return new Practice(
                    org, site, practitioner, motive, followUp, phoneOnly, staffEmail, staff, adminEmail, noRightsEmail);
        });
    }

    /** A second agenda in a practice: its practitioner and its one motive. */
    public record SecondAgenda(UUID practitionerId, UUID motiveId) {}

    /**
     * Another practitioner of the same practice, at the same site, open Monday to Saturday 9:00-12:00
     * with one 30-minute motive. The practice's secretary gets every right on this agenda only if
     * {@code secretaryRights}; the practice's no-rights member gets none.
     */
    public SecondAgenda secondPractitioner(Practice practice, boolean secretaryRights) {
        int n = SEQUENCE.incrementAndGet();
        UUID org = practice.organizationId();
        return scope.write(new Caller.System(org), () -> {
            UUID practitioner = directory.createPractitioner(
                    org,
                    new NewPractitioner(
                            "Sam",
                            "Confrere" + n,
                            RppsNumber.withCheckDigit(String.format("19%08d", n)),
                            "medecin-generaliste",
                            List.of("fr"),
                            true,
                            60,
                            90,
                            24));
            UUID motive = directory.createMotive(
                    org, practitioner, new NewMotive("Consultation", 30, true, true, null, null), 0);
            for (DayOfWeek day : DayOfWeek.values()) {
                if (day != DayOfWeek.SUNDAY) {
                    agendas.addOpeningRange(
                            org,
                            new AgendaSettings.NewOpeningRange(
                                    practitioner,
                                    practice.siteId(),
                                    day,
                                    LocalTime.of(9, 0),
                                    LocalTime.of(12, 0),
                                    LocalDate.of(2026, 1, 1),
                                    null,
                                    List.of(motive)));
                }
            }
            if (secretaryRights) {
                rights.set(org, practice.staffAccountId(), practitioner, EnumSet.allOf(AgendaRight.class), null);
            }
            return new SecondAgenda(practitioner, motive);
        });
    }

    /** Another secretary of the practice, who has no second factor yet; returns the email address. */
    public String staffWithoutSecondFactor(Practice practice) {
        String email = "new-staff-" + UUID.randomUUID() + "@test.creneau.fr";
        scope.write(new Caller.System(practice.organizationId()), () -> {
            UUID staff = accounts.create(email, "+33 1 00 00 00 00", PASSWORD, AccountKind.STAFF);
            accounts.addStaffMembership(practice.organizationId(), staff, email, StaffRole.SECRETARY, null);
        });
        return email;
    }

    public Practice practice(String specialty) {
        return practice(specialty, "Testville", 48.85, 2.35);
    }

    /**
     * Makes the practice's secretary also a secretary of {@code other}, with every right on
     * {@code other}'s agenda: a staff member of two organizations.
     */
    public void alsoSecretaryOf(Practice practice, Practice other) {
        scope.write(new Caller.System(other.organizationId()), () -> {
            accounts.addStaffMembership(
                    other.organizationId(),
                    practice.staffAccountId(),
                    practice.staffEmail(),
                    StaffRole.SECRETARY,
                    null);
            rights.set(
                    other.organizationId(),
                    practice.staffAccountId(),
                    other.practitionerId(),
                    EnumSet.allOf(AgendaRight.class),
                    null);
        });
    }

    /** A platform administrator account (no organization); returns its email. */
    public String platformAdmin() {
        int n = SEQUENCE.incrementAndGet();
        String email = "platform" + n + "-" + UUID.randomUUID() + "@test.creneau.fr";
        scope.write(Caller.ANONYMOUS, () -> {
            UUID admin = accounts.create(email, "+33 1 00 00 00 03", PASSWORD, AccountKind.PLATFORM_ADMIN);
            scope.continueAs(new Caller.AccountOwner(admin));
            accounts.provisionTotp(admin, TOTP_SECRET);
        });
        return email;
    }
}
