package org.creneau.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.TenantScope;
import org.creneau.identity.Accounts;
import org.creneau.patients.Patients.Person;
import org.creneau.patients.Patients.Relationship;
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

    PatientAccounts(Accounts accounts, Patients patients, TenantScope scope) {
        this.accounts = accounts;
        this.patients = patients;
        this.scope = scope;
    }

    public record Registration(
            String email, String phone, String password, String firstName, String lastName, LocalDate birthDate) {}

    public record Registered(UUID accountId, UUID patientId) {}

    /** Registers a patient account and the patient it belongs to, together or not at all. */
    public Registered register(Registration r) {
        return scope.write(Caller.ANONYMOUS, () -> {
            UUID accountId = accounts.create(r.email(), r.phone(), r.password(), AccountKind.PATIENT);
            // The same transaction goes on as the account it has just created.
            scope.continueAs(new Caller.Patient(accountId));
            UUID patientId = patients.registerSelf(accountId, r.firstName(), r.lastName(), r.birthDate());
            return new Registered(accountId, patientId);
        });
    }

    /** The account holder first, then the relatives. */
    public List<Person> people(Caller.Patient me) {
        return scope.read(me, () -> patients.peopleOf(me.accountId()));
    }

    public UUID addRelative(
            Caller.Patient me, Relationship relationship, String firstName, String lastName, LocalDate birthDate) {
        return scope.write(
                me, () -> patients.addRelative(me.accountId(), relationship, firstName, lastName, birthDate));
    }
}
