package org.creneau.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.identity.Accounts;
import org.creneau.patients.Patients.Person;
import org.creneau.patients.Patients.Relationship;
import org.creneau.platform.NotFoundException;
import org.springframework.stereotype.Service;

/**
 * A patient's own account as the JSON API and the pages both use it: registration, and the people
 * the account books for. Each method opens the caller's scope itself.
 */
@Service
public class PatientAccounts {

    private final Accounts accounts;
    private final Patients patients;
    private final TenantScope scope;
    private final Clock clock;

    PatientAccounts(Accounts accounts, Patients patients, TenantScope scope, Clock clock) {
        this.accounts = accounts;
        this.patients = patients;
        this.scope = scope;
        this.clock = clock;
    }

    public record Registration(
            String email, String phone, String password, String firstName, String lastName, LocalDate birthDate) {}

    /**
     * Registers a patient account and the patient it belongs to, together or not at all; nothing is
     * returned, since a taken address must answer the same as a free one (its owner is told by mail).
     */
    public void register(Registration r) {
        Patients.check(r.firstName(), r.lastName(), r.birthDate());
        scope.write(
                Caller.ANONYMOUS,
                () -> accounts.registerPatient(r.email(), r.phone(), r.password())
                        .ifPresent(accountId -> {
                            // The same transaction goes on as the account it has just created.
                            scope.continueAs(new Caller.Patient(accountId));
                            patients.registerSelf(accountId, r.firstName(), r.lastName(), r.birthDate());
                        }));
    }

    /** The account holder first, then the relatives. */
    public List<Person> people(Caller.Patient me) {
        return scope.read(me, () -> patients.peopleOf(me.accountId()));
    }

    /** The people appointments may name: the account's people and the relatives it removed. */
    public List<Person> everyone(Caller.Patient me) {
        return scope.read(me, () -> patients.everyoneOf(me.accountId()));
    }

    public UUID addRelative(
            Caller.Patient me, Relationship relationship, String firstName, String lastName, LocalDate birthDate) {
        return scope.write(
                me, () -> patients.addRelative(me.accountId(), relationship, firstName, lastName, birthDate));
    }

    /** One of the account's relatives; another account's, or a removed one, is not found. */
    public Person relative(Caller.Patient me, UUID relativeId) {
        return people(me).stream()
                .filter(p -> !p.self() && p.id().equals(relativeId))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("relative"));
    }

    public void updateRelative(
            Caller.Patient me,
            UUID relativeId,
            Relationship relationship,
            String firstName,
            String lastName,
            LocalDate birthDate) {
        scope.write(
                me,
                () -> patients.updateRelative(
                        me.accountId(), relativeId, relationship, firstName, lastName, birthDate));
    }

    /**
     * The account stops booking for this relative; refused ({@code relative-has-appointments}) while
     * the relative has an appointment to come.
     */
    public void removeRelative(Caller.Patient me, UUID relativeId) {
        scope.write(me, () -> patients.removeRelative(me.accountId(), relativeId, clock.instant()));
    }

    /** The account holder as the account shows them: the person's details and how they are reached. */
    public record Profile(
            UUID id, String firstName, String lastName, LocalDate birthDate, String email, String phone) {}

    public Profile profile(Caller.Patient me) {
        return scope.read(me, () -> {
            Person self = patients.peopleOf(me.accountId()).stream()
                    .filter(Person::self)
                    .findFirst()
                    .orElseThrow(() -> new NotFoundException("patient"));
            Accounts.Contact contact = accounts.contact(me.accountId());
            return new Profile(
                    self.id(), self.firstName(), self.lastName(), self.birthDate(), contact.email(), contact.phone());
        });
    }

    /** Changes the account holder's name, birth date and phone together, or none of them. */
    public void updateProfile(Caller.Patient me, String firstName, String lastName, LocalDate birthDate, String phone) {
        scope.write(me, () -> {
            patients.updateSelf(me.accountId(), firstName, lastName, birthDate);
            accounts.changePhone(me.accountId(), phone);
        });
    }
}
