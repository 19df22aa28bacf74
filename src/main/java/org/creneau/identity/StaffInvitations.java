package org.creneau.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.creneau.access.AgendaRight;
import org.creneau.access.AgendaRights;
import org.creneau.access.Caller;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffMembershipChanged;
import org.creneau.access.StaffRole;
import org.creneau.access.TenantScope;
import org.creneau.directory.Directory;
import org.creneau.directory.Organization;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.NotFoundException;
import org.creneau.platform.Page;
import org.creneau.platform.Paging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Invitations to join an organization's staff. Its admin invites an email with a role and rights on
 * agendas; the mail carries a single-use link valid {@code creneau.invitations.validity} (7 days),
 * whose token is kept only as its SHA-256 hash. Following it, a new person sets a password (and
 * enrols an authenticator at the first sign-in, as every new staff account does), or the account that
 * already has the address joins once signed in. Pending invitations are listed and can be revoked.
 */
@Service
public class StaffInvitations {

    private static final Logger log = LoggerFactory.getLogger(StaffInvitations.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    private static final int MAX_RIGHTS = 100;

    private final TenantScope scope;
    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final AgendaRights rights;
    private final Directory directory;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration validity;

    StaffInvitations(
            TenantScope scope,
            JdbcClient jdbc,
            Accounts accounts,
            AgendaRights rights,
            Directory directory,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${creneau.invitations.validity:P7D}") Duration validity) {
        this.scope = scope;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.rights = rights;
        this.directory = directory;
        this.events = events;
        this.clock = clock;
        this.validity = validity;
    }

    /** Who is invited, as what, with which rights on which agendas (a practitioner also gets their own agenda). */
    public record NewInvitation(
            String email, StaffRole role, UUID practitionerId, Map<UUID, Set<AgendaRight>> agendaRights) {}

    public enum State {
        PENDING,
        ACCEPTED,
        REVOKED,
        EXPIRED
    }

    public record Invitation(
            UUID id,
            String email,
            StaffRole role,
            UUID practitionerId,
            State state,
            Instant createdAt,
            Instant expiresAt,
            Map<UUID, Set<AgendaRight>> agendaRights) {}

    public Duration validity() {
        return validity;
    }

    /** Records the invitation and has it mailed; the caller is an admin of the organization. */
    public Invitation invite(Caller.Staff admin, NewInvitation invitation) {
        String email = invitation.email() == null ? "" : invitation.email().trim();
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw new InvalidInputException("email", "must be an email address");
        }
        if (invitation.role() == null) {
            throw new InvalidInputException("role", "is required");
        }
        if ((invitation.role() == StaffRole.PRACTITIONER) != (invitation.practitionerId() != null)) {
            throw new InvalidInputException("practitionerId", "is required for a practitioner and only for one");
        }
        Map<UUID, Set<AgendaRight>> wanted = new LinkedHashMap<>();
        if (invitation.agendaRights() != null) {
            if (invitation.agendaRights().size() > MAX_RIGHTS) {
                throw new InvalidInputException("agendaRights", "must name at most " + MAX_RIGHTS + " agendas");
            }
            invitation.agendaRights().forEach((agenda, set) -> {
                if (agenda != null && set != null && !set.isEmpty()) {
                    wanted.put(agenda, EnumSet.copyOf(set));
                }
            });
        }
        if (invitation.practitionerId() != null) {
            wanted.put(invitation.practitionerId(), EnumSet.allOf(AgendaRight.class));
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        scope.write(admin, () -> {
            for (UUID agenda : wanted.keySet()) {
                requireAgendaOf(admin, agenda);
            }
            jdbc.sql("""
                            INSERT INTO staff_invitation (id, organization_id, email, role, practitioner_id, invited_by,
                                                          created_at, expires_at)
                            VALUES (:id, :org, :email, :role, :practitioner, :by, :now, :expires)
                            """)
                    .param("id", id)
                    .param("org", admin.organizationId())
                    .param("email", email)
                    .param("role", invitation.role().name())
                    .param("practitioner", invitation.practitionerId(), java.sql.Types.OTHER)
                    .param("by", admin.accountId())
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .param("expires", now.plus(validity).atOffset(ZoneOffset.UTC))
                    .update();
            wanted.forEach((agenda, set) -> jdbc.sql("""
                            INSERT INTO staff_invitation_right (organization_id, invitation_id, practitioner_id,
                                                                view_appointments, manage_appointments, manage_settings)
                            VALUES (:org, :id, :agenda, :view, :manage, :settings)
                            """)
                    .param("org", admin.organizationId())
                    .param("id", id)
                    .param("agenda", agenda)
                    .param("view", set.contains(AgendaRight.VIEW_APPOINTMENTS))
                    .param("manage", set.contains(AgendaRight.MANAGE_APPOINTMENTS))
                    .param("settings", set.contains(AgendaRight.MANAGE_SETTINGS))
                    .update());
            events.publishEvent(new StaffInvited(admin.organizationId(), id, now));
            events.publishEvent(new StaffMembershipChanged(
                    StaffMembershipChanged.Kind.MEMBER_INVITED,
                    admin.organizationId(),
                    null,
                    invitation.role(),
                    admin.accountId(),
                    now));
        });
        log.info("Invitation {} to organization {} sent by account {}", id, admin.organizationId(), admin.accountId());
        return new Invitation(
                id,
                email,
                invitation.role(),
                invitation.practitionerId(),
                State.PENDING,
                now,
                now.plus(validity),
                wanted);
    }

    /** The organization's invitations, newest first, with their state. */
    public Page<Invitation> list(Caller.Staff admin, Paging paging) {
        Instant now = clock.instant();
        return scope.read(
                admin,
                () -> Page.of(
                        jdbc
                                .sql("""
                                        SELECT id FROM staff_invitation ORDER BY created_at DESC, id
                                        LIMIT :limit OFFSET :offset
                                        """)
                                .param("limit", paging.size())
                                .param("offset", paging.offset())
                                .query(UUID.class)
                                .list()
                                .stream()
                                .map(id -> find(id, now).orElseThrow())
                                .toList(),
                        paging,
                        jdbc.sql("SELECT count(*) FROM staff_invitation")
                                .query(Long.class)
                                .single()));
    }

    /** Revokes a pending invitation: its link is refused from now on. Another organization's is not found. */
    public void revoke(Caller.Staff admin, UUID invitationId) {
        Instant now = clock.instant();
        scope.write(admin, () -> {
            Invitation invitation = find(invitationId, now).orElseThrow(() -> new NotFoundException("invitation"));
            if (invitation.state() != State.PENDING) {
                throw new ConflictException("invitation-not-pending", "Only a pending invitation can be revoked.");
            }
            jdbc.sql("UPDATE staff_invitation SET revoked_at = :now WHERE id = :id AND accepted_at IS NULL")
                    .param("now", now.atOffset(ZoneOffset.UTC))
                    .param("id", invitationId)
                    .update();
            events.publishEvent(new StaffMembershipChanged(
                    StaffMembershipChanged.Kind.INVITATION_REVOKED,
                    admin.organizationId(),
                    null,
                    invitation.role(),
                    admin.accountId(),
                    now));
        });
        log.info("Invitation {} revoked by account {}", invitationId, admin.accountId());
    }

    /** What the invitation's mail needs, with the link's token (in the mail only). */
    public record Link(String token, String email, String organizationName, StaffRole role, Locale language) {}

    /**
     * Issues the invitation's link for its mail: empty when it was issued already (the mail is in the
     * outbox) or the invitation is no longer pending. Runs in the caller's transaction.
     */
    public Optional<Link> issueLink(UUID organizationId, UUID invitationId) {
        String token = AccountLinks.newToken();
        Caller system = new Caller.System(organizationId);
        record Issued(String email, StaffRole role, UUID invitedBy) {}
        Optional<Issued> issued = scope.write(
                system,
                () -> jdbc.sql("""
                                UPDATE staff_invitation SET token_hash = :hash
                                 WHERE id = :id AND token_hash IS NULL AND accepted_at IS NULL AND revoked_at IS NULL
                                RETURNING email, role, invited_by
                                """)
                        .param("hash", AccountLinks.hash(token))
                        .param("id", invitationId)
                        .query((rs, i) -> new Issued(
                                rs.getString("email"),
                                StaffRole.valueOf(rs.getString("role")),
                                rs.getObject("invited_by", UUID.class)))
                        .optional());
        if (issued.isEmpty()) {
            return Optional.empty();
        }
        String organization =
                directory.organization(organizationId).map(Organization::name).orElse("");
        // The invited person has no account yet: the mail is in the language of the admin who invited.
        Locale language = accounts.language(issued.get().invitedBy());
        return Optional.of(
                new Link(token, issued.get().email(), organization, issued.get().role(), language));
    }

    /** An invitation as its link's page shows it. */
    public record Opened(
            UUID id, UUID organizationId, String organizationName, String email, StaffRole role, State state) {}

    /** The invitation a link opens, whatever its state; empty for an unknown link. */
    public Optional<Opened> open(String token) {
        return locate(token)
                .flatMap(found -> scope.read(
                        new Caller.System(found.organizationId()),
                        () -> find(found.id(), clock.instant())
                                .map(i -> new Opened(
                                        i.id(),
                                        found.organizationId(),
                                        directory
                                                .organization(found.organizationId())
                                                .map(Organization::name)
                                                .orElse(""),
                                        i.email(),
                                        i.role(),
                                        i.state()))));
    }

    /** What following an invitation's link did. */
    public enum Acceptance {
        /** The person is a member of the organization now. */
        JOINED,
        /** The link is unknown, used, revoked or expired. */
        INVALID_LINK,
        /** An account has the invited address: it must sign in to accept. */
        SIGN_IN_FIRST,
        /** The signed-in account is not the one invited (another address, or a patient's account). */
        WRONG_ACCOUNT,
        /** The account is a member of this organization already. */
        ALREADY_MEMBER
    }

    /**
     * A new person accepts: their staff account is created with the invited address (proved by the
     * mailed link), and joins with the invited role and rights. Its first sign-in enrols an
     * authenticator. The password and phone follow the registration's rules.
     */
    public Acceptance acceptAsNewPerson(String token, String phone, String password) {
        accounts.checkPassword(password);
        Optional<Located> found = locate(token);
        if (found.isEmpty()) {
            return Acceptance.INVALID_LINK;
        }
        Instant now = clock.instant();
        Caller.System system = new Caller.System(found.get().organizationId());
        try {
            return scope.write(system, () -> {
                Optional<Invitation> pending = find(found.get().id(), now).filter(i -> i.state() == State.PENDING);
                if (pending.isEmpty()) {
                    return Acceptance.INVALID_LINK;
                }
                if (accounts.accountWithEmail(pending.get().email()).isPresent()) {
                    return Acceptance.SIGN_IN_FIRST;
                }
                UUID account = accounts.create(pending.get().email(), phone, password, AccountKind.STAFF);
                return join(found.get(), pending.get(), account, now);
            });
        } catch (LinkUsedMeanwhile e) {
            return Acceptance.INVALID_LINK;
        }
    }

    /** The signed-in account that has the invited address accepts, and joins the organization. */
    public Acceptance acceptAsAccount(String token, UUID accountId) {
        Optional<Located> found = locate(token);
        if (found.isEmpty()) {
            return Acceptance.INVALID_LINK;
        }
        Instant now = clock.instant();
        record Self(String email, AccountKind kind) {}
        Self self = scope.read(
                new Caller.AccountOwner(accountId),
                () -> jdbc.sql("SELECT email, kind FROM account WHERE id = :id")
                        .param("id", accountId)
                        .query((rs, i) -> new Self(rs.getString("email"), AccountKind.valueOf(rs.getString("kind"))))
                        .single());
        try {
            return scope.write(new Caller.System(found.get().organizationId()), () -> {
                Optional<Invitation> pending = find(found.get().id(), now).filter(i -> i.state() == State.PENDING);
                if (pending.isEmpty()) {
                    return Acceptance.INVALID_LINK;
                }
                if (self.kind() != AccountKind.STAFF
                        || !self.email().equalsIgnoreCase(pending.get().email())) {
                    return Acceptance.WRONG_ACCOUNT;
                }
                boolean member = jdbc.sql("SELECT EXISTS (SELECT 1 FROM staff_member WHERE account_id = :a)")
                        .param("a", accountId)
                        .query(Boolean.class)
                        .single();
                if (member) {
                    return Acceptance.ALREADY_MEMBER;
                }
                return join(found.get(), pending.get(), accountId, now);
            });
        } catch (LinkUsedMeanwhile e) {
            return Acceptance.INVALID_LINK;
        }
    }

    private Acceptance join(Located found, Invitation invitation, UUID account, Instant now) {
        int taken = jdbc.sql("""
                        UPDATE staff_invitation SET accepted_at = :now, accepted_by = :account
                         WHERE id = :id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > :now
                        """)
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("account", account)
                .param("id", invitation.id())
                .update();
        if (taken == 0) {
            // Accepted or revoked meanwhile: the account made above goes with this transaction.
            throw new LinkUsedMeanwhile();
        }
        accounts.addStaffMembership(
                found.organizationId(), account, invitation.email(), invitation.role(), invitation.practitionerId());
        UUID invitedBy = jdbc.sql("SELECT invited_by FROM staff_invitation WHERE id = :id")
                .param("id", invitation.id())
                .query(UUID.class)
                .single();
        invitation
                .agendaRights()
                .forEach((agenda, set) -> rights.set(found.organizationId(), account, agenda, set, invitedBy));
        events.publishEvent(new StaffMembershipChanged(
                StaffMembershipChanged.Kind.MEMBER_ADDED,
                found.organizationId(),
                account,
                invitation.role(),
                invitedBy,
                now));
        log.info(
                "Invitation {} accepted: account {} joined organization {}",
                invitation.id(),
                account,
                found.organizationId());
        return Acceptance.JOINED;
    }

    /** Two acceptances of one link raced; the loser's transaction is rolled back. */
    static final class LinkUsedMeanwhile extends RuntimeException {
        LinkUsedMeanwhile() {
            super("invitation used meanwhile");
        }
    }

    private record Located(UUID id, UUID organizationId) {}

    private Optional<Located> locate(String token) {
        if (!AccountLinks.wellFormed(token)) {
            return Optional.empty();
        }
        return scope.read(
                Caller.ANONYMOUS,
                () -> jdbc.sql("SELECT id, organization_id FROM staff_invitation_for_token(:hash)")
                        .param("hash", AccountLinks.hash(token))
                        .query((rs, i) -> new Located(
                                rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class)))
                        .optional());
    }

    /** One invitation of the organization set for the transaction, with its state at {@code now}. */
    private Optional<Invitation> find(UUID id, Instant now) {
        Map<UUID, Set<AgendaRight>> granted = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT practitioner_id, view_appointments, manage_appointments, manage_settings
                          FROM staff_invitation_right WHERE invitation_id = :id ORDER BY practitioner_id
                        """)
                .param("id", id)
                .query((rs, i) -> {
                    Set<AgendaRight> set = EnumSet.noneOf(AgendaRight.class);
                    if (rs.getBoolean("view_appointments")) {
                        set.add(AgendaRight.VIEW_APPOINTMENTS);
                    }
                    if (rs.getBoolean("manage_appointments")) {
                        set.add(AgendaRight.MANAGE_APPOINTMENTS);
                    }
                    if (rs.getBoolean("manage_settings")) {
                        set.add(AgendaRight.MANAGE_SETTINGS);
                    }
                    return granted.put(rs.getObject("practitioner_id", UUID.class), set);
                })
                .list();
        return jdbc.sql("""
                        SELECT id, email, role, practitioner_id, created_at, expires_at, accepted_at, revoked_at
                          FROM staff_invitation WHERE id = :id
                        """)
                .param("id", id)
                .query((rs, i) -> {
                    Instant expires =
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant();
                    State state = rs.getObject("accepted_at") != null
                            ? State.ACCEPTED
                            : rs.getObject("revoked_at") != null
                                    ? State.REVOKED
                                    : now.isBefore(expires) ? State.PENDING : State.EXPIRED;
                    return new Invitation(
                            rs.getObject("id", UUID.class),
                            rs.getString("email"),
                            StaffRole.valueOf(rs.getString("role")),
                            rs.getObject("practitioner_id", UUID.class),
                            state,
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            expires,
                            Map.copyOf(granted));
                })
                .optional();
    }

    private void requireAgendaOf(Caller.Staff admin, UUID practitionerId) {
        directory
                .practitioner(practitionerId)
                .filter(p -> p.organizationId().equals(admin.organizationId()))
                .orElseThrow(() -> new NotFoundException("agenda"));
    }
}
