package org.creneau.patients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.creneau.platform.PhoneNumber;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An organization's patient file: everyone it receives, whether they booked online or phoned.
 * Runs inside the caller's {@code TenantScope}; only the organization set for the transaction
 * sees its file. Decoys (canary records, V12) are nobody the practice receives: no read here
 * returns them.
 */
@Service
public class OrgPatients {

    private final JdbcClient jdbc;
    private final Clock clock;

    OrgPatients(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One person in an organization's file. {@code accountId} is set when they also book online. */
    public record OrgPatient(
            UUID id,
            UUID organizationId,
            UUID patientId,
            UUID accountId,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String phone,
            String email,
            int noShowCount,
            boolean onlineBookingBlocked) {}

    public record NewOrgPatient(String firstName, String lastName, LocalDate birthDate, String phone, String email) {}

    /** The result of filing an online patient with an organization. */
    public record Filing(UUID orgPatientId, boolean onlineBookingBlocked) {}

    /**
     * Files the caller's own person with the organization (once) and says whether the
     * organization has blocked their online booking. Runs as the patient.
     */
    public Filing fileOnlinePatient(UUID organizationId, UUID patientId) {
        return jdbc.sql("SELECT org_patient_id, blocked FROM file_patient_with_organization(:org, :patient, :now)")
                .param("org", organizationId)
                .param("patient", patientId)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .query((rs, i) -> new Filing(rs.getObject("org_patient_id", UUID.class), rs.getBoolean("blocked")))
                .single();
    }

    public UUID create(UUID organizationId, NewOrgPatient p) {
        require("firstName", p.firstName(), 100);
        require("lastName", p.lastName(), 100);
        if (p.birthDate() == null || p.birthDate().isAfter(LocalDate.now(clock))) {
            throw new InvalidInputException("birthDate", "must be a past date");
        }
        PhoneNumber phone = PhoneNumber.parse("phone", p.phone());
        if (p.email() != null && !p.email().isBlank() && !p.email().matches("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$")) {
            throw new InvalidInputException("email", "must be an email address");
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO org_patient (id, organization_id, first_name, last_name, birth_date, phone, email,
                                                 search_name, created_at)
                        VALUES (:id, :org, :first, :last, :birth, :phone, :email, :search, :now)
                        """)
                .param("id", id)
                .param("org", organizationId)
                .param("first", p.firstName().trim())
                .param("last", p.lastName().trim())
                .param("birth", p.birthDate())
                .param("phone", phone.e164())
                .param(
                        "email",
                        p.email() == null || p.email().isBlank()
                                ? null
                                : p.email().trim())
                .param("search", searchName(p.lastName() + " " + p.firstName()))
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        return id;
    }

    public Optional<OrgPatient> find(UUID id) {
        return jdbc.sql("SELECT * FROM org_patient WHERE id = :id")
                .param("id", id)
                .query((rs, i) -> map(rs))
                .optional();
    }

    /**
     * Entries of the file by id, in one read: what a list of appointments shows of its patients, never
     * one read per row. Runs in the caller's scope; ids it may not see are left out.
     */
    public Map<UUID, OrgPatient> byIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, OrgPatient> found = new HashMap<>();
        jdbc.sql("SELECT * FROM org_patient WHERE id = ANY (:ids)")
                .param("ids", ids.stream().distinct().toArray(UUID[]::new))
                .query((rs, i) -> map(rs))
                .list()
                .forEach(p -> found.put(p.id(), p));
        return found;
    }

    /** How many entries the file holds, in the caller's scope: the guard judges a day's reads against it. */
    public long fileSize() {
        return jdbc.sql("SELECT count(*) FROM org_patient").query(Long.class).single();
    }

    /** Letters a name criterion needs at least: fewer would match a large share of any file. */
    public static final int NAME_MIN_LETTERS = 2;

    /** Digits a phone criterion needs at least. */
    public static final int PHONE_MIN_DIGITS = 6;

    /**
     * The file searched by the start of a name (at least {@value #NAME_MIN_LETTERS} letters, {@code %} and
     * {@code _} taken literally), a phone number (at least {@value #PHONE_MIN_DIGITS} digits) or a full
     * birth date; at least one is needed, else an {@link InvalidInputException} on {@code name}. Only
     * entries on the given agendas are searched (see {@link #onAgendas}).
     */
    public Page<OrgPatient> search(
            String name, String phone, LocalDate birthDate, Collection<UUID> agendas, Paging paging) {
        String key = name == null ? "" : searchName(name);
        boolean byName = !key.isEmpty();
        String digits = phone == null ? "" : phone.replaceAll("[^0-9]", "");
        // A few digits are no phone number: the criterion is missing, as when none is given.
        boolean byPhone = digits.length() >= PHONE_MIN_DIGITS;
        if (byName && key.length() > 100) {
            throw new InvalidInputException("name", "is too long");
        }
        if (byName && key.codePoints().filter(Character::isLetter).count() < NAME_MIN_LETTERS) {
            throw new InvalidInputException("name", "give at least " + NAME_MIN_LETTERS + " letters of a name");
        }
        if (!byName && !byPhone && birthDate == null) {
            throw new InvalidInputException(
                    "name",
                    "give at least " + NAME_MIN_LETTERS + " letters of a name, a phone number (" + PHONE_MIN_DIGITS
                            + " digits or more) or a full birth date");
        }
        // The criterion is a prefix taken literally: LIKE's wildcards in it match themselves only.
        String prefix = byName ? literalPrefix(key) : "";
        String where = """
                 WHERE (:name = '' OR search_name LIKE :name ESCAPE '\\'
                        OR lower(first_name || ' ' || last_name) LIKE :name ESCAPE '\\')
                   AND (:digits = '' OR right(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 9) = right(:digits, 9))
                   AND (CAST(:birth AS date) IS NULL OR birth_date = CAST(:birth AS date))
                   AND org_patient_on_agendas(id, :agendas)
                """;
        UUID[] agendaIds = agendas.toArray(UUID[]::new);
        long total = jdbc.sql("SELECT count(*) FROM org_patient" + where)
                .param("name", prefix)
                .param("digits", byPhone ? digits : "")
                .param("birth", birthDate, java.sql.Types.DATE)
                .param("agendas", agendaIds)
                .query(Long.class)
                .single();
        var items = jdbc.sql(
                        "SELECT * FROM org_patient" + where + " ORDER BY search_name, id LIMIT :limit OFFSET :offset")
                .param("name", prefix)
                .param("digits", byPhone ? digits : "")
                .param("birth", birthDate, java.sql.Types.DATE)
                .param("agendas", agendaIds)
                .param("limit", paging.size())
                .param("offset", paging.offset())
                .query((rs, i) -> map(rs))
                .list();
        return Page.of(items, paging, total);
    }

    /**
     * The entry, if it is on one of the given agendas: a person with an appointment on one of them, or
     * with no appointment yet (just filed, to be booked).
     */
    public Optional<OrgPatient> findOnAgendas(UUID id, Collection<UUID> agendas) {
        return jdbc.sql("SELECT * FROM org_patient WHERE id = :id AND org_patient_on_agendas(id, :agendas)")
                .param("id", id)
                .param("agendas", agendas.toArray(UUID[]::new))
                .query((rs, i) -> map(rs))
                .optional();
    }

    /** A LIKE pattern for names starting with {@code key}, its own wildcards escaped. */
    static String literalPrefix(String key) {
        return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * Counts a no-show; at {@code threshold}, the organization's as the directory keeps it (null:
     * never), online booking is blocked for this person at this organization.
     */
    public void recordNoShow(UUID orgPatientId, Integer threshold) {
        jdbc.sql("""
                        UPDATE org_patient SET no_show_count = no_show_count + 1,
                               online_booking_blocked = online_booking_blocked OR
                                   (CAST(:threshold AS integer) IS NOT NULL AND no_show_count + 1 >= :threshold)
                         WHERE id = :id
                        """)
                .param("id", orgPatientId)
                .param("threshold", threshold, java.sql.Types.INTEGER)
                .update();
    }

    /**
     * Lets the person book online again at this organization; the no-shows stay counted, so the next
     * one blocks again. Returns false when the entry is absent or not the caller's.
     */
    public boolean liftOnlineBookingBlock(UUID orgPatientId) {
        return jdbc.sql("UPDATE org_patient SET online_booking_blocked = false WHERE id = :id")
                        .param("id", orgPatientId)
                        .update()
                == 1;
    }

    /** A name as the file's search compares it: trimmed, lower case, single spaces. */
    static String searchName(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private static void require(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        if (value.trim().length() > max) {
            throw new InvalidInputException(field, "must have at most " + max + " characters");
        }
    }

    private static OrgPatient map(ResultSet rs) throws SQLException {
        return new OrgPatient(
                rs.getObject("id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getObject("patient_id", UUID.class),
                rs.getObject("account_id", UUID.class),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getObject("birth_date", LocalDate.class),
                rs.getString("phone"),
                rs.getString("email"),
                rs.getInt("no_show_count"),
                rs.getBoolean("online_booking_blocked"));
    }
}
