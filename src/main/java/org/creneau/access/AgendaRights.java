package org.creneau.access;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Per-agenda rights of staff. Deny by default: a staff member without the right on an agenda is
 * answered as if the agenda did not exist. Runs inside the caller's {@code TenantScope}.
 */
@Service
public class AgendaRights {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AgendaRights(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** One staff member's rights on one agenda. */
    public record Grant(UUID accountId, UUID practitionerId, Set<AgendaRight> rights) {}

    /** The agenda if the caller holds {@code right} on it; else 404, as for an agenda that does not exist. */
    public void require(Caller.Staff staff, UUID practitionerId, AgendaRight right) {
        if (!rightsOf(staff.accountId(), practitionerId).contains(right)) {
            throw new NotFoundException("agenda");
        }
    }

    public Set<AgendaRight> rightsOf(UUID accountId, UUID practitionerId) {
        return jdbc.sql("""
                        SELECT view_appointments, manage_appointments, manage_settings FROM agenda_right
                         WHERE account_id = :account AND practitioner_id = :practitioner
                        """)
                .param("account", accountId)
                .param("practitioner", practitionerId)
                .query((rs, i) -> rights(
                        rs.getBoolean("view_appointments"),
                        rs.getBoolean("manage_appointments"),
                        rs.getBoolean("manage_settings")))
                .optional()
                .orElse(EnumSet.noneOf(AgendaRight.class));
    }

    /** Agendas of the caller's organization on which the caller holds {@code right}. */
    public List<UUID> agendasWith(Caller.Staff staff, AgendaRight right) {
        String column = switch (right) {
            case VIEW_APPOINTMENTS -> "view_appointments";
            case MANAGE_APPOINTMENTS -> "manage_appointments";
            case MANAGE_SETTINGS -> "manage_settings";
        };
        return jdbc.sql("SELECT practitioner_id FROM agenda_right WHERE account_id = :account AND " + column)
                .param("account", staff.accountId())
                .query(UUID.class)
                .list();
    }

    public List<Grant> grantsOn(UUID practitionerId) {
        return jdbc.sql("""
                        SELECT account_id, practitioner_id, view_appointments, manage_appointments, manage_settings
                          FROM agenda_right WHERE practitioner_id = :practitioner ORDER BY granted_at, account_id
                        """)
                .param("practitioner", practitionerId)
                .query((rs, i) -> new Grant(
                        rs.getObject("account_id", UUID.class),
                        rs.getObject("practitioner_id", UUID.class),
                        rights(
                                rs.getBoolean("view_appointments"),
                                rs.getBoolean("manage_appointments"),
                                rs.getBoolean("manage_settings"))))
                .list();
    }

    /** Removes every right of a staff member, agenda by agenda, so each agenda's change is told. */
    public void revokeAll(UUID organizationId, UUID accountId, UUID actor) {
        List<UUID> agendas = jdbc.sql("SELECT practitioner_id FROM agenda_right WHERE account_id = :account")
                .param("account", accountId)
                .query(UUID.class)
                .list();
        for (UUID agenda : agendas) {
            set(organizationId, accountId, agenda, Set.of(), actor);
        }
    }

    /**
     * Sets a staff member's rights on an agenda of the organization set for the transaction (an
     * empty set removes them), and tells whoever listens.
     *
     * @param actor the account making the change, or null for the platform
     */
    public void set(UUID organizationId, UUID accountId, UUID practitionerId, Set<AgendaRight> rights, UUID actor) {
        if (rights.contains(AgendaRight.MANAGE_APPOINTMENTS) && !rights.contains(AgendaRight.VIEW_APPOINTMENTS)) {
            throw new InvalidInputException("viewAppointments", "managing appointments needs seeing them");
        }
        Set<AgendaRight> before = rightsOf(accountId, practitionerId);
        Instant now = clock.instant();
        if (rights.isEmpty()) {
            jdbc.sql("DELETE FROM agenda_right WHERE account_id = :account AND practitioner_id = :practitioner")
                    .param("account", accountId)
                    .param("practitioner", practitionerId)
                    .update();
        } else {
            jdbc.sql("""
                            INSERT INTO agenda_right (organization_id, account_id, practitioner_id, view_appointments,
                                   manage_appointments, manage_settings, granted_by_account_id, granted_at)
                            VALUES (:org, :account, :practitioner, :view, :manage, :settings, :actor, :now)
                            ON CONFLICT (organization_id, account_id, practitioner_id) DO UPDATE
                               SET view_appointments = excluded.view_appointments,
                                   manage_appointments = excluded.manage_appointments,
                                   manage_settings = excluded.manage_settings,
                                   granted_by_account_id = excluded.granted_by_account_id,
                                   granted_at = excluded.granted_at
                            """)
                    .param("org", organizationId)
                    .param("account", accountId)
                    .param("practitioner", practitionerId)
                    .param("view", rights.contains(AgendaRight.VIEW_APPOINTMENTS))
                    .param("manage", rights.contains(AgendaRight.MANAGE_APPOINTMENTS))
                    .param("settings", rights.contains(AgendaRight.MANAGE_SETTINGS))
                    .param("actor", actor, java.sql.Types.OTHER)
                    .param("now", now.atOffset(java.time.ZoneOffset.UTC))
                    .update();
        }
        if (!before.equals(rights)) {
            events.publishEvent(new AgendaRightsChanged(
                    organizationId, practitionerId, accountId, before, Set.copyOf(rights), actor, now));
        }
    }

    private static Set<AgendaRight> rights(boolean view, boolean manage, boolean settings) {
        Set<AgendaRight> set = EnumSet.noneOf(AgendaRight.class);
        if (view) {
            set.add(AgendaRight.VIEW_APPOINTMENTS);
        }
        if (manage) {
            set.add(AgendaRight.MANAGE_APPOINTMENTS);
        }
        if (settings) {
            set.add(AgendaRight.MANAGE_SETTINGS);
        }
        return set;
    }
}
