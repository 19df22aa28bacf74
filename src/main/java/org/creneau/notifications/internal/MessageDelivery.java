package org.creneau.notifications.internal;

import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.creneau.access.Caller;
import org.creneau.access.TenantScope;
import org.creneau.platform.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A delivery worker: claims due messages of the outbox with {@code FOR UPDATE SKIP LOCKED} (so two
 * workers, on one node or several, never take the same one), sends each on its channel (SMTP, the
 * SMS gateway) and marks it sent. A failure is tried again after {@code first-retry}, twice as long each time up to
 * {@code longest-retry}; after {@code max-attempts} attempts, or at once for a message no attempt
 * can send (malformed, no SMTP server configured), it is marked failed with the reason, which the
 * platform admin reads.
 *
 * <p>A claim lasts {@code claim}: a worker that dies mid-send leaves its messages to whichever
 * worker comes after the claim lapses. A message is marked sent only by the worker holding its
 * claim; the claim outlasts the SMTP timeouts (application.properties), so a live worker's message
 * is never taken from it.
 */
@Component
class MessageDelivery {

    private static final Logger log = LoggerFactory.getLogger(MessageDelivery.class);
    private static final int BATCH = 50;
    private static final int MAX_ERROR_LENGTH = 300;

    /** How long claims last and retries wait, and how many attempts a message gets. */
    record Settings(Duration claim, Duration firstRetry, Duration longestRetry, int maxAttempts) {}

    private final JdbcClient jdbc;
    private final TenantScope scope;
    private final MailChannel mail;
    private final SmsGateway sms;
    private final Clock clock;
    private final Settings settings;
    private final String worker;

    @Autowired
    MessageDelivery(
            JdbcClient jdbc,
            TenantScope scope,
            MailChannel mail,
            SmsGateway sms,
            Clock clock,
            @Value("${creneau.messages.claim:PT2M}") Duration claim,
            @Value("${creneau.messages.first-retry:PT30S}") Duration firstRetry,
            @Value("${creneau.messages.longest-retry:PT1H}") Duration longestRetry,
            @Value("${creneau.messages.max-attempts:8}") int maxAttempts) {
        this(
                jdbc,
                scope,
                mail,
                sms,
                clock,
                new Settings(claim, firstRetry, longestRetry, maxAttempts),
                "node-" + UUID.randomUUID());
    }

    /** A worker of its own name: another node's, in tests. */
    MessageDelivery(
            JdbcClient jdbc,
            TenantScope scope,
            MailChannel mail,
            SmsGateway sms,
            Clock clock,
            Settings settings,
            String worker) {
        this.jdbc = jdbc;
        this.scope = scope;
        this.mail = mail;
        this.sms = sms;
        this.clock = clock;
        this.settings = settings;
        this.worker = worker;
    }

    record Claimed(
            UUID id,
            String recipient,
            Message.Channel channel,
            String kind,
            String reference,
            String subject,
            String text,
            String html,
            Message.Attachment attachment,
            int attempts) {}

    @Scheduled(
            fixedDelayString = "${creneau.messages.send-interval:PT2S}",
            initialDelayString = "${creneau.messages.send-interval:PT2S}")
    void deliverDue() {
        deliverDue(clock.instant());
    }

    /** Sends what is due at {@code now}, a batch at a time until none is left; returns how many were sent. */
    int deliverDue(Instant now) {
        int sent = 0;
        while (true) {
            List<Claimed> claimed = claim(now, BATCH);
            for (Claimed message : claimed) {
                if (send(message, now)) {
                    sent++;
                }
            }
            if (claimed.size() < BATCH) {
                return sent;
            }
        }
    }

    /**
     * Takes up to {@code limit} due messages for this worker, and counts the attempt. A message
     * claimed by a worker whose claim lapsed is due again.
     */
    List<Claimed> claim(Instant now, int limit) {
        return scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                UPDATE message m
                                   SET status = 'SENDING', claimed_by = :worker, attempts = m.attempts + 1,
                                       last_attempt_at = :now, next_attempt_at = :lapse
                                 WHERE m.id IN (SELECT q.id FROM message q
                                                 WHERE q.status IN ('PENDING', 'SENDING') AND q.next_attempt_at <= :now
                                                 ORDER BY q.next_attempt_at
                                                 LIMIT :limit
                                                   FOR UPDATE SKIP LOCKED)
                                RETURNING m.id, m.recipient, m.channel, m.kind, m.reference, m.subject, m.body_text,
                                          m.body_html, m.attachment_name, m.attachment_type, m.attachment, m.attempts
                                """)
                        .param("worker", worker)
                        .param("lapse", now.plus(settings.claim()).atOffset(ZoneOffset.UTC))
                        .param("now", now.atOffset(ZoneOffset.UTC))
                        .param("limit", limit)
                        .query((rs, i) -> new Claimed(
                                rs.getObject("id", UUID.class),
                                rs.getString("recipient"),
                                Message.Channel.valueOf(rs.getString("channel")),
                                rs.getString("kind"),
                                rs.getString("reference"),
                                rs.getString("subject"),
                                rs.getString("body_text"),
                                rs.getString("body_html"),
                                rs.getString("attachment_name") == null
                                        ? null
                                        : new Message.Attachment(
                                                rs.getString("attachment_name"),
                                                rs.getString("attachment_type"),
                                                rs.getBytes("attachment")),
                                rs.getInt("attempts")))
                        .list());
    }

    /** Sends one claimed message; its next attempt, if any, counts from {@code now}. */
    boolean send(Claimed message, Instant now) {
        try {
            switch (message.channel()) {
                case EMAIL -> {
                    if (!mail.isOn()) {
                        failed(message, now, "mail is off: no SMTP server configured (spring.mail.host)", true);
                        return false;
                    }
                    mail.send(
                            message.id(),
                            message.recipient(),
                            message.subject(),
                            message.text(),
                            message.html(),
                            message.attachment());
                }
                case SMS -> {
                    // Numbers stored before entries normalized them are read again here.
                    Optional<PhoneNumber> to = PhoneNumber.read(message.recipient());
                    if (to.isEmpty()) {
                        failed(message, now, "the recipient is not a valid phone number", true);
                        return false;
                    }
                    sms.send(message.id(), to.get(), message.text());
                }
            }
        } catch (SmsGateway.Refused e) {
            // The provider's words may echo the number: the admin reads it masked.
            String number =
                    PhoneNumber.read(message.recipient()).map(PhoneNumber::e164).orElse(message.recipient());
            failed(message, now, e.getMessage().replace(number, RecipientMask.of(number)), !e.retryable());
            return false;
        } catch (MailException e) {
            // Unreachable, refused or timed out may pass; anything else (a malformed message) will not.
            boolean transientFailure = e instanceof MailSendException || e instanceof MailAuthenticationException;
            failed(message, now, reason(e, message.recipient()), !transientFailure);
            return false;
        } catch (RuntimeException e) {
            failed(message, now, reason(e, message.recipient()), false);
            return false;
        }
        int marked = scope.write(
                Caller.ANONYMOUS,
                // Sent: the content goes, only what proves it went stays (and the key that keeps it once).
                // The mark's commit waits for no disk flush (synchronous_commit off for this transaction,
                // set in the same statement): only a crash of the database itself within a fraction of a
                // second could lose it, and the message would then go again, as after a worker killed
                // between the send and the mark. A flush per message would cap every node's rate.
                () -> jdbc.sql("""
                                WITH no_flush AS (SELECT set_config('synchronous_commit', 'off', true))
                                UPDATE message
                                   SET status = 'SENT', sent_at = :now, claimed_by = NULL, last_error = NULL,
                                       subject = NULL, body_text = NULL, body_html = NULL, attachment = NULL
                                  FROM no_flush
                                 WHERE id = :id AND claimed_by = :worker AND status = 'SENDING'
                                """)
                        .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                        .param("id", message.id())
                        .param("worker", worker)
                        .update());
        count(message, "sent");
        if (marked == 0) {
            log.warn("Message {} ({}) was sent after this worker's claim lapsed", message.id(), message.reference());
        } else {
            log.info("Message {} ({} {}) sent", message.id(), message.kind(), message.reference());
        }
        return true;
    }

    private void failed(Claimed message, Instant now, String reason, boolean forGood) {
        boolean last = forGood || message.attempts() >= settings.maxAttempts();
        Instant next = now.plus(backoff(message.attempts()));
        scope.write(
                Caller.ANONYMOUS,
                () -> jdbc.sql("""
                                UPDATE message
                                   SET status = :status, next_attempt_at = :next, claimed_by = NULL, last_error = :reason
                                 WHERE id = :id AND claimed_by = :worker AND status = 'SENDING'
                                """)
                        .param("status", last ? "FAILED" : "PENDING")
                        .param("next", next.atOffset(ZoneOffset.UTC))
                        .param("reason", reason)
                        .param("id", message.id())
                        .param("worker", worker)
                        .update());
        count(message, last ? "failed" : "retry");
        if (last) {
            log.warn(
                    "Message {} ({} {}) failed for good after {} attempt(s)",
                    message.id(),
                    message.kind(),
                    message.reference(),
                    message.attempts());
        } else {
            log.info(
                    "Message {} ({} {}) attempt {} failed; next at {}",
                    message.id(),
                    message.kind(),
                    message.reference(),
                    message.attempts(),
                    next);
        }
    }

    /** Prometheus' {@code creneau_messages_total{channel, outcome}}: sent, retry (tried again later), failed (for good). */
    private static void count(Claimed message, String outcome) {
        Metrics.counter("creneau.messages", "channel", message.channel().name(), "outcome", outcome)
                .increment();
    }

    /** first-retry after the first attempt, doubled after each further one, never past longest-retry. */
    Duration backoff(int attempts) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < attempts && wait.compareTo(settings.longestRetry()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.longestRetry()) > 0 ? settings.longestRetry() : wait;
    }

    /** What went wrong, for the admin: the exception's kind and words, never the recipient's address. */
    private static String reason(Exception e, String recipient) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String words = root.getMessage() == null ? "" : root.getMessage();
        words = words.replace(recipient, RecipientMask.of(recipient));
        String reason = e.getClass().getSimpleName()
                + (root == e ? "" : " (" + root.getClass().getSimpleName() + ")")
                + (words.isBlank() ? "" : ": " + words);
        return reason.length() > MAX_ERROR_LENGTH ? reason.substring(0, MAX_ERROR_LENGTH) : reason;
    }
}
