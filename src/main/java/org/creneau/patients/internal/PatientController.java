package org.creneau.patients.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.creneau.access.Caller;
import org.creneau.identity.Accounts;
import org.creneau.journal.Journaled;
import org.creneau.journal.Journaled.Outcome;
import org.creneau.journal.Journaled.Resource;
import org.creneau.journal.NotJournaled;
import org.creneau.patients.PatientAccounts;
import org.creneau.patients.Patients.Person;
import org.creneau.patients.Patients.Relationship;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Patient registration and the relatives a patient books for. */
@RestController
@RequestMapping("/api/v1")
class PatientController {

    private final PatientAccounts accounts;
    private final AccessPolicy policy;

    PatientController(PatientAccounts accounts, AccessPolicy policy) {
        this.accounts = accounts;
        this.policy = policy;
    }

    record Registration(
            @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 20) String phone,

            @NotNull @Size(min = Accounts.MIN_PASSWORD_LENGTH, max = Accounts.MAX_PASSWORD_LENGTH)
            String password,

            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull @Past LocalDate birthDate) {}

    /** The one answer to a registration, whether the address was free or taken. */
    record RegistrationReceived(String status) {

        static final RegistrationReceived CHECK_YOUR_EMAIL = new RegistrationReceived("check-your-email");
    }

    record NewRelative(
            @NotNull Relationship relationship,
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull @Past LocalDate birthDate) {}

    record RelativeView(UUID id, Relationship relationship, String firstName, String lastName, LocalDate birthDate) {
        static RelativeView of(Person p) {
            return new RelativeView(p.id(), p.relationship(), p.firstName(), p.lastName(), p.birthDate());
        }
    }

    /**
     * Registers a patient account and the patient it belongs to, together or not at all, and mails a
     * link to verify the address. A taken address gets the same answer (202, "check your email"), and
     * its owner a mail saying someone tried to register with it: the answer never tells whether an
     * address has an account.
     */
    @NotJournaled("a person registering: they write their own file as they create their account, and no one"
            + " else's data is read or returned")
    @PostMapping("/accounts")
    ResponseEntity<RegistrationReceived> register(@Valid @RequestBody Registration body) {
        accounts.register(new PatientAccounts.Registration(
                body.email(), body.phone(), body.password(), body.firstName(), body.lastName(), body.birthDate()));
        return ResponseEntity.accepted().body(RegistrationReceived.CHECK_YOUR_EMAIL);
    }

    @Journaled(purpose = "list own relatives", resource = Resource.PATIENT)
    @GetMapping("/me/relatives")
    List<RelativeView> relatives() {
        Caller.Patient me = policy.requirePatient();
        return accounts.people(me).stream()
                .filter(p -> !p.self())
                .map(RelativeView::of)
                .toList();
    }

    @Journaled(purpose = "add a relative", resource = Resource.PATIENT, outcome = Outcome.CREATED)
    @PostMapping("/me/relatives")
    ResponseEntity<RelativeView> addRelative(@Valid @RequestBody NewRelative body) {
        Caller.Patient me = policy.requirePatient();
        UUID id = accounts.addRelative(me, body.relationship(), body.firstName(), body.lastName(), body.birthDate());
        return ResponseEntity.status(201)
                .body(new RelativeView(id, body.relationship(), body.firstName(), body.lastName(), body.birthDate()));
    }

    @Journaled(purpose = "change a relative", resource = Resource.PATIENT, outcome = Outcome.UPDATED)
    @PutMapping("/me/relatives/{id}")
    RelativeView changeRelative(@PathVariable UUID id, @Valid @RequestBody NewRelative body) {
        Caller.Patient me = policy.requirePatient();
        accounts.updateRelative(me, id, body.relationship(), body.firstName(), body.lastName(), body.birthDate());
        return RelativeView.of(accounts.relative(me, id));
    }

    /** The relative that is no longer booked for. */
    record RemovedRelative(UUID id) {}

    /**
     * The account stops booking for this relative; refused with {@code relative-has-appointments}
     * (409) while the relative has an appointment to come: cancel it first.
     */
    @Journaled(purpose = "remove a relative", resource = Resource.PATIENT, outcome = Outcome.UPDATED)
    @DeleteMapping("/me/relatives/{id}")
    RemovedRelative removeRelative(@PathVariable UUID id) {
        accounts.removeRelative(policy.requirePatient(), id);
        return new RemovedRelative(id);
    }

    record ProfileView(UUID id, String firstName, String lastName, LocalDate birthDate, String email, String phone) {
        static ProfileView of(PatientAccounts.Profile p) {
            return new ProfileView(p.id(), p.firstName(), p.lastName(), p.birthDate(), p.email(), p.phone());
        }
    }

    /** What the account holder may change of their own details; the email is how they sign in and stays. */
    record ProfileChange(
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull @Past LocalDate birthDate,
            @NotBlank @Size(max = 20) String phone) {}

    @Journaled(purpose = "view own profile", resource = Resource.PATIENT)
    @GetMapping("/me/profile")
    ProfileView profile() {
        return ProfileView.of(accounts.profile(policy.requirePatient()));
    }

    @Journaled(purpose = "change own profile", resource = Resource.PATIENT, outcome = Outcome.UPDATED)
    @PutMapping("/me/profile")
    ProfileView changeProfile(@Valid @RequestBody ProfileChange body) {
        Caller.Patient me = policy.requirePatient();
        accounts.updateProfile(me, body.firstName(), body.lastName(), body.birthDate(), body.phone());
        return ProfileView.of(accounts.profile(me));
    }
}
