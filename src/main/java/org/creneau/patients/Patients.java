package org.creneau.patients;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The people a patient account books for: itself and its relatives. Runs inside the caller's
 * {@code TenantScope}; row-level security shows an account only its own people.
 */
@Service
public class Patients {

    /** An account may book for at most this many relatives. */
    public static final int MAX_RELATIVES = 12;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    Patients(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public enum Relationship {
        CHILD,
        PARENT,
        SPOUSE,
        OTHER
    }

    public record Person(
            UUID id, boolean self, Relationship relationship, String firstName, String lastName, LocalDate birthDate) {}

    public UUID registerSelf(UUID accountId, String firstName, String lastName, LocalDate birthDate) {
        return insert(accountId, null, firstName, lastName, birthDate);
    }

    public UUID addRelative(
            UUID accountId, Relationship relationship, String firstName, String lastName, LocalDate birthDate) {
        Integer count = jdbc.sql(
                        "SELECT count(*) FROM patient WHERE account_id = :a AND kind = 'RELATIVE' AND removed_at IS NULL")
                .param("a", accountId)
                .query(Integer.class)
                .single();
        if (count >= MAX_RELATIVES) {
            throw new ConflictException(
                    "too-many-relatives", "An account may book for at most " + MAX_RELATIVES + " relatives.");
        }
        return insert(accountId, relationship, firstName, lastName, birthDate);
    }

    public List<Person> peopleOf(UUID accountId) {
        return people(accountId, false);
    }

    /** The account's people, relatives it no longer books for included: their past appointments name them. */
    public List<Person> everyoneOf(UUID accountId) {
        return people(accountId, true);
    }

    private List<Person> people(UUID accountId, boolean removedToo) {
        return jdbc.sql("""
                        SELECT id, kind, relationship, first_name, last_name, birth_date FROM patient
                         WHERE account_id = :a AND (:removedToo OR removed_at IS NULL) ORDER BY kind DESC, created_at, id
                        """)
                .param("a", accountId)
                .param("removedToo", removedToo)
                .query((rs, i) -> new Person(
                        rs.getObject("id", UUID.class),
                        "SELF".equals(rs.getString("kind")),
                        rs.getString("relationship") == null
                                ? null
                                : Relationship.valueOf(rs.getString("relationship")),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getObject("birth_date", LocalDate.class)))
                .list();
    }

    /**
     * The person an account books for: the given relative, or the account holder when none is
     * given. Empty when the relative is not this account's.
     */
    public Optional<UUID> bookablePerson(UUID accountId, UUID relativeId) {
        if (relativeId == null) {
            return jdbc.sql("SELECT id FROM patient WHERE account_id = :a AND kind = 'SELF'")
                    .param("a", accountId)
                    .query(UUID.class)
                    .optional();
        }
        return jdbc.sql("SELECT id FROM patient WHERE account_id = :a AND id = :id AND kind = 'RELATIVE'"
                        + " AND removed_at IS NULL")
                .param("a", accountId)
                .param("id", relativeId)
                .query(UUID.class)
                .optional();
    }

    /** Changes a relative's details; another account's relative, or a removed one, is not found. */
    public void updateRelative(
            UUID accountId,
            UUID relativeId,
            Relationship relationship,
            String firstName,
            String lastName,
            LocalDate birthDate) {
        if (relationship == null) {
            throw new InvalidInputException("relationship", "is required");
        }
        check(firstName, lastName, birthDate);
        int changed = jdbc.sql("""
                        UPDATE patient SET relationship = :relationship, first_name = :first, last_name = :last,
                               birth_date = :birth
                         WHERE account_id = :a AND id = :id AND kind = 'RELATIVE' AND removed_at IS NULL
                        """)
                .param("relationship", relationship.name())
                .param("first", firstName.trim())
                .param("last", lastName.trim())
                .param("birth", birthDate)
                .param("a", accountId)
                .param("id", relativeId)
                .update();
        if (changed == 0) {
            throw new NotFoundException("relative");
        }
    }

    /** Changes the account holder's own details. */
    public void updateSelf(UUID accountId, String firstName, String lastName, LocalDate birthDate) {
        check(firstName, lastName, birthDate);
        jdbc.sql("""
                        UPDATE patient SET first_name = :first, last_name = :last, birth_date = :birth
                         WHERE account_id = :a AND kind = 'SELF'
                        """)
                .param("first", firstName.trim())
                .param("last", lastName.trim())
                .param("birth", birthDate)
                .param("a", accountId)
                .update();
    }

    /**
     * The account no longer books for this relative. {@link RelativeLeaving} is published first, in
     * this transaction: the booking module refuses while the relative has an appointment to come (the
     * patient cancels it first) and withdraws their waiting-list entries. Past appointments keep
     * naming the person, so the row is marked removed, not deleted.
     */
    public void removeRelative(UUID accountId, UUID relativeId, Instant now) {
        if (bookablePerson(accountId, relativeId).isEmpty()) {
            throw new NotFoundException("relative");
        }
        events.publishEvent(new RelativeLeaving(accountId, relativeId, now));
        jdbc.sql("UPDATE patient SET removed_at = :now WHERE account_id = :a AND id = :id AND kind = 'RELATIVE'")
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("a", accountId)
                .param("id", relativeId)
                .update();
    }

    private UUID insert(
            UUID accountId, Relationship relationship, String firstName, String lastName, LocalDate birthDate) {
        check(firstName, lastName, birthDate);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO patient (id, account_id, kind, relationship, first_name, last_name, birth_date)
                        VALUES (:id, :a, :kind, :relationship, :first, :last, :birth)
                        """)
                .param("id", id)
                .param("a", accountId)
                .param("kind", relationship == null ? "SELF" : "RELATIVE")
                .param("relationship", relationship == null ? null : relationship.name())
                .param("first", firstName.trim())
                .param("last", lastName.trim())
                .param("birth", birthDate)
                .update();
        return id;
    }

    /**
     * The rules of a person's name and birth date, checked before anything is written: registration
     * checks them before it looks at the address, so a taken address cannot answer differently.
     */
    public static void check(String firstName, String lastName, LocalDate birthDate) {
        checkName("firstName", firstName);
        checkName("lastName", lastName);
        if (birthDate == null) {
            throw new InvalidInputException("birthDate", "is required");
        }
        if (birthDate.isAfter(LocalDate.now()) || birthDate.isBefore(LocalDate.of(1900, 1, 1))) {
            throw new InvalidInputException("birthDate", "must be a past date after 1900");
        }
    }

    private static void checkName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        if (value.trim().length() > 100) {
            throw new InvalidInputException(field, "must have at most 100 characters");
        }
        if (value.indexOf('\u0000') >= 0) {
            // PostgreSQL cannot store it; refused here like any other bad name.
            throw new InvalidInputException(field, "must be text");
        }
    }
}
