package org.creneau.patients;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The decoy patients (canary records) of an organization's file, for the guard's canary keeper only:
 * row-level security lets no other caller see or write them (V17), so these run inside the keeper's
 * {@code TenantScope}, which the guard opens.
 */
@Service
public class DecoyPatients {

    private final JdbcClient jdbc;

    DecoyPatients(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A decoy as the file shows it; {@code filedAt} is when it seems to have been added. */
    public record NewDecoyPatient(
            String firstName, String lastName, LocalDate birthDate, String phone, String email, Instant filedAt) {}

    /** The organization's decoy patients, oldest first. */
    public List<UUID> of(UUID organizationId) {
        return jdbc.sql("SELECT id FROM org_patient WHERE organization_id = :org AND decoy ORDER BY created_at, id")
                .param("org", organizationId)
                .query(UUID.class)
                .list();
    }

    /** Files a decoy patient with the organization; returns its id. */
    public UUID file(UUID organizationId, NewDecoyPatient p) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, phone, email,
                                                 search_name, created_at, decoy)
                        VALUES (:id, :org, :first, :last, :birth, :phone, :email, :search, :created, true)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("first", p.firstName())
                .param("last", p.lastName())
                .param("birth", p.birthDate())
                .param("phone", p.phone())
                .param("email", p.email())
                .param("search", (p.lastName() + " " + p.firstName()).toLowerCase(Locale.ROOT))
                .param("created", p.filedAt().atOffset(ZoneOffset.UTC))
                .update();
        return id;
    }
}
