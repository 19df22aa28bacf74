package org.creneau.identity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.creneau.access.SignedInAccount.AccountKind;
import org.creneau.access.StaffRole;
import org.creneau.identity.internal.CommonPasswords;
import org.creneau.identity.internal.SecondFactors;
import org.creneau.platform.ConflictException;
import org.creneau.platform.InvalidInputException;
import org.creneau.platform.PhoneNumber;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates accounts. Runs inside the caller's {@code TenantScope}. */
@Service
public class Accounts {

    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 128;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final CommonPasswords commonPasswords;
    private final SecondFactors secondFactors;

    private final ApplicationEventPublisher events;
    private final Clock clock;

    Accounts(
            JdbcClient jdbc,
            PasswordEncoder passwords,
            CommonPasswords commonPasswords,
            SecondFactors secondFactors,
            ApplicationEventPublisher events,
            Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.passwords = passwords;
        this.commonPasswords = commonPasswords;
        this.secondFactors = secondFactors;
    }

    /**
     * A new account made by someone else than its owner (an organization's admin, the demo data): a
     * taken email address is a conflict, and the address counts as verified (only a self-registered
     * patient proves theirs).
     */
    public UUID create(String email, String phone, String rawPassword, AccountKind kind) {
        return insert(email, phone, rawPassword, kind, true)
                .orElseThrow(() -> new ConflictException("email-taken", "An account already uses this email address."));
    }

    /**
     * A patient registering: a new account, whose owner is mailed a link to verify the address, or
     * empty when the address is taken, whose owner is told instead. The password is hashed either
     * way and an event is published either way, so both take as long: registration must not tell
     * whether an address has an account. Runs inside the caller's {@code TenantScope}.
     */
    public Optional<UUID> registerPatient(String email, String phone, String rawPassword) {
        Optional<UUID> created = insert(email, phone, rawPassword, AccountKind.PATIENT, false);
        Instant now = clock.instant();
        if (created.isPresent()) {
            events.publishEvent(new AccountLinkRequested(
                    AccountLinkRequested.Purpose.VERIFY_EMAIL, created.get(), UUID.randomUUID(), now));
        } else {
            accountWithEmail(email)
                    .ifPresent(
                            owner -> events.publishEvent(new AddressAlreadyRegistered(owner, UUID.randomUUID(), now)));
        }
        return created;
    }

    /** The account that has this address, if any (any caller: it says nothing else of it). */
    public Optional<UUID> accountWithEmail(String email) {
        return jdbc.sql("SELECT id FROM account_for_login(:email)")
                .param("email", email.trim())
                .query(UUID.class)
                .optional();
    }

    private Optional<UUID> insert(String email, String phone, String rawPassword, AccountKind kind, boolean verified) {
        String normalizedEmail = email == null ? "" : email.trim();
        if (normalizedEmail.length() > 254 || !EMAIL.matcher(normalizedEmail).matches()) {
            throw new InvalidInputException("email", "must be an email address");
        }
        PhoneNumber number = PhoneNumber.parse("phone", phone);
        checkPassword(rawPassword);
        UUID id = UUID.randomUUID();
        String hash = passwords.encode(rawPassword);
        // ON CONFLICT rather than a caught error: the transaction goes on (to tell the address's owner).
        int added = jdbc.sql("""
                        INSERT INTO account (id, email, phone, password_hash, kind, language, email_verified_at)
                        VALUES (:id, :email, :phone, :hash, :kind, :language, CASE WHEN :verified THEN now() END)
                        ON CONFLICT DO NOTHING
                        """)
                .param("id", id)
                .param("email", normalizedEmail)
                .param("phone", number.e164())
                .param("hash", hash)
                .param("kind", kind.name())
                .param("language", languageOf(LocaleContextHolder.getLocale()))
                .param("verified", verified)
                .update();
        return added == 1 ? Optional.of(id) : Optional.empty();
    }

    /** The languages messages are written in; French unless the account registered in English. */
    public static final List<Locale> LANGUAGES = List.of(Locale.FRENCH, Locale.ENGLISH);

    /** How an account's messages are written and which it wants: its language, and reminders or not. */
    public record MessageSettings(Locale language, boolean reminders) {

        public static final MessageSettings DEFAULT = new MessageSettings(Locale.FRENCH, true);
    }

    /** The message settings of each account given (any caller: they say nothing else of it). */
    public Map<UUID, MessageSettings> messageSettings(Collection<UUID> accountIds) {
        Map<UUID, MessageSettings> settings = new HashMap<>();
        if (accountIds.isEmpty()) {
            return settings;
        }
        jdbc.sql("SELECT id, language, reminders FROM account_message_settings(:ids)")
                .param("ids", accountIds.toArray(UUID[]::new))
                .query((rs, i) -> settings.put(
                        rs.getObject("id", UUID.class),
                        new MessageSettings(
                                "en".equals(rs.getString("language")) ? Locale.ENGLISH : Locale.FRENCH,
                                rs.getBoolean("reminders"))))
                .list();
        return settings;
    }

    /** The language the account's messages are written in (the one it registered in). */
    public Locale language(UUID accountId) {
        return messageSettings(List.of(accountId))
                .getOrDefault(accountId, MessageSettings.DEFAULT)
                .language();
    }

    /** Turns the account's reminders on or off; runs inside the account's scope. */
    public void setReminders(UUID accountId, boolean wanted) {
        jdbc.sql("UPDATE account SET reminders = :wanted WHERE id = :id")
                .param("wanted", wanted)
                .param("id", accountId)
                .update();
    }

    private static String languageOf(Locale locale) {
        return locale != null && "en".equals(locale.getLanguage()) ? "en" : "fr";
    }

    /** How an account is reached: its sign-in address and its phone. */
    public record Contact(String email, String phone) {}

    /** The account's own contact details; runs inside the account's scope. */
    public Contact contact(UUID accountId) {
        return jdbc.sql("SELECT email, phone FROM account WHERE id = :id")
                .param("id", accountId)
                .query((rs, i) -> new Contact(rs.getString("email"), rs.getString("phone")))
                .single();
    }

    /** Changes the account's phone (the same rule as at registration: E.164); runs inside the account's scope. */
    public void changePhone(UUID accountId, String phone) {
        PhoneNumber number = PhoneNumber.parse("phone", phone);
        jdbc.sql("UPDATE account SET phone = :phone WHERE id = :id")
                .param("phone", number.e164())
                .param("id", accountId)
                .update();
    }

    /**
     * Makes an account a staff member of the organization set for the transaction; the email is how
     * the organization reaches the member (account rows are private to their owner).
     */
    public void addStaffMembership(
            UUID organizationId, UUID accountId, String email, StaffRole role, UUID practitionerId) {
        jdbc.sql("""
                        INSERT INTO staff_member (organization_id, account_id, email, practitioner_id, role)
                        VALUES (:org, :account, :email, :practitioner, :role)
                        """)
                .param("org", organizationId)
                .param("account", accountId)
                .param("email", email.trim())
                .param("practitioner", practitionerId, java.sql.Types.OTHER)
                .param("role", role.name())
                .update();
    }

    /**
     * Enrols a staff account in TOTP with a secret the practice (or the demo) set up, already
     * confirmed: its logins ask for a code at once. Runs as the account's organization.
     */
    public void provisionTotp(UUID accountId, String base32Secret) {
        secondFactors.provision(accountId, base32Secret);
    }

    /** The password policy, the same at registration and at a change. */
    public void checkPassword(String raw) {
        if (raw == null || raw.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (raw.length() > MAX_PASSWORD_LENGTH) {
            throw new InvalidInputException("password", "must have at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(raw)) {
            // Half of a surrogate pair: no text, and Argon2 cannot hash it (it fails instead).
            throw new InvalidInputException("password", "must be text (it holds half of a character)");
        }
        if (commonPasswords.contains(raw)) {
            throw new InvalidInputException("password", "is too common: it is among the first ones tried by attackers");
        }
    }
}
