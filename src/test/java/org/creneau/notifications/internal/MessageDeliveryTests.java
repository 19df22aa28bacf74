package org.creneau.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.creneau.access.TenantScope;
import org.creneau.support.ApiClient;
import org.creneau.support.Fixtures;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The outbox's delivery, with real workers over the one database and a real SMTP server (GreenMail):
 * an outage then recovery, a worker that dies holding a claim, two workers at once. Each worker here
 * is a separate {@link MessageDelivery}, as on separate nodes; the messages are queued far in the
 * future, and the workers run at that time, so the application's own worker never touches them.
 */
@IntegrationTest
class MessageDeliveryTests {

    private static final MessageDelivery.Settings SETTINGS =
            new MessageDelivery.Settings(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofHours(1), 3);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TenantScope scope;

    @Autowired
    Outbox outbox;

    @Autowired
    MutableClock clock;

    @Autowired
    GreenMail smtp;

    @Autowired
    Fixtures fixtures;

    @Test
    void anSmtpOutageThenRecoveryDeliversTheMessageExactlyOnce() throws Exception {
        Instant far = far();
        String to = address("outage");
        outbox.enqueue(email(to), far);
        MessageDelivery down = worker(unreachableSmtp(), "node-down");

        assertThat(down.deliverDue(far)).isZero();
        assertThat(row(to)).containsEntry("status", "PENDING").containsEntry("attempts", 1);
        assertThat((String) row(to).get("last_error")).startsWith("MailSendException");
        // Not due again before the backoff: nothing is attempted.
        assertThat(down.deliverDue(far.plusSeconds(20))).isZero();
        assertThat(row(to)).containsEntry("attempts", 1);

        MessageDelivery up = worker(greenMail(), "node-up");
        assertThat(up.deliverDue(far.plusSeconds(31))).isEqualTo(1);
        assertThat(up.deliverDue(far.plus(Duration.ofDays(1)))).isZero();
        assertThat(down.deliverDue(far.plus(Duration.ofDays(1)))).isZero();

        assertThat(row(to)).containsEntry("status", "SENT").containsEntry("attempts", 2);
        assertThat(row(to).get("body_text")).as("content dropped once sent").isNull();
        List<MimeMessage> received = receivedBy(to);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getHeader(MailChannel.MESSAGE_ID_HEADER)[0])
                .isEqualTo(row(to).get("id").toString());
    }

    @Test
    void aRestartedWorkerSendsWhatADeadWorkerHadClaimedOnceItsClaimLapsesAndNothingTwice() throws Exception {
        Instant far = far();
        String sentBefore = address("restart-sent");
        outbox.enqueue(email(sentBefore), far);
        List<String> recipients = List.of(address("restart-a"), address("restart-b"), address("restart-c"));
        Instant later = far.plusSeconds(1);
        recipients.forEach(to -> outbox.enqueue(email(to), later));
        // The node sends one message, then claims the next ones and is killed before sending them.
        MessageDelivery before = worker(greenMail(), "node-before-crash");
        assertThat(before.deliverDue(far)).isEqualTo(1);
        assertThat(before.claim(later, 10)).hasSize(recipients.size());

        MessageDelivery restarted = worker(greenMail(), "node-after-restart");
        assertThat(restarted.deliverDue(later.plusSeconds(60)))
                .as("the dead node's claims still hold")
                .isZero();
        assertThat(restarted.deliverDue(later.plus(SETTINGS.claim()).plusSeconds(1)))
                .isEqualTo(recipients.size());
        assertThat(restarted.deliverDue(far.plus(Duration.ofDays(1)))).isZero();

        for (String to : recipients) {
            assertThat(receivedBy(to)).hasSize(1);
            assertThat(row(to)).containsEntry("status", "SENT").containsEntry("attempts", 2);
        }
        assertThat(receivedBy(sentBefore)).hasSize(1);
    }

    @Test
    void twoWorkersOverOneTableSendEachMessageOnce() throws Exception {
        Instant far = far();
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String to = address("pair-" + i);
            recipients.add(to);
            outbox.enqueue(email(to), far);
        }
        MessageDelivery first = worker(greenMail(), "node-1");
        MessageDelivery second = worker(greenMail(), "node-2");
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> runs = List.of(() -> first.deliverDue(far), () -> second.deliverDue(far));
            int sent = 0;
            for (Future<Integer> run : nodes.invokeAll(runs)) {
                sent += run.get();
            }
            assertThat(sent).isEqualTo(recipients.size());
        } finally {
            nodes.shutdown();
        }
        Map<String, Long> copies = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> recipients.contains(firstRecipient(m)))
                .collect(Collectors.groupingBy(MessageDeliveryTests::firstRecipient, Collectors.counting()));
        assertThat(copies).hasSize(recipients.size());
        assertThat(copies.values()).containsOnly(1L);
    }

    @Test
    void aMessageThatKeepsFailingIsMarkedFailedAndThePlatformAdminSeesItMasked() {
        Instant far = far();
        String to = address("never");
        outbox.enqueue(email(to), far);
        MessageDelivery down = worker(unreachableSmtp(), "node-never");
        Instant at = far;
        for (int attempt = 1; attempt <= SETTINGS.maxAttempts(); attempt++) {
            down.deliverDue(at);
            at = at.plus(Duration.ofHours(2));
        }
        assertThat(row(to)).containsEntry("status", "FAILED").containsEntry("attempts", SETTINGS.maxAttempts());
        assertThat(down.deliverDue(at)).isZero();
        assertThat(row(to)).containsEntry("attempts", SETTINGS.maxAttempts());

        ApiClient admin = SignIn.platformAdmin(port, fixtures.platformAdmin());
        String id = row(to).get("id").toString();
        ApiClient.Response list = admin.get("/api/v1/admin/messages?size=50");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.raw().body()).doesNotContain(to);
        var mine = list.body()
                .get("items")
                .valueStream()
                .filter(m -> m.get("id").asString().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(mine.get("recipient").asString()).isEqualTo(to.charAt(0) + "•••@test.creneau.fr");
        assertThat(mine.get("kind").asString()).isEqualTo("GUARD_ALERT");
        assertThat(mine.get("attempts").asInt()).isEqualTo(SETTINGS.maxAttempts());
        assertThat(mine.get("reason").asString()).startsWith("MailSendException");

        ApiClient.Response page = admin.get("/admin/messages");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("message-" + id).doesNotContain(to);

        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(address("curious"));
        assertThat(patient.get("/api/v1/admin/messages").status()).isIn(403, 404);
    }

    @Test
    void theSameEventForTheSameRecipientChannelAndKindIsQueuedOnce() {
        String to = address("replayed");
        Instant far = far();
        assertThat(outbox.enqueue(email(to), far)).isTrue();
        assertThat(outbox.enqueue(email(to), far)).as("a replayed event").isFalse();
        assertThat(jdbc.sql("SELECT count(*) FROM message WHERE recipient = :to")
                        .param("to", to)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        worker(greenMail(), "node-cleanup").deliverDue(far);
    }

    private static final java.util.concurrent.atomic.AtomicInteger TESTS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Far past any time another test sets the shared clock to, so only this test's workers run then;
     * each test a year earlier than the one before, so no test's workers reach another's messages.
     */
    /**
     * Each test's own "far" instant, earlier than the previous test's, so that a test's messages are
     * not due for the next one.
     */
    private Instant far;

    /**
     * The suite shares one database: messages other tests left pending (a notice waiting for its
     * retry) would be due here too. They are delivered first, so that each count below is this
     * test's alone.
     */
    @org.junit.jupiter.api.BeforeEach
    void deliverWhatOtherTestsLeft() {
        far = clock.instant().plus(Duration.ofDays(365L * (200 - TESTS.incrementAndGet())));
        MessageDelivery drain = worker(greenMail(), "drain");
        while (drain.deliverDue(far) > 0) {
            // until nothing due is left
        }
    }

    private Instant far() {
        return far;
    }

    private static String address(String name) {
        return name + "-" + UUID.randomUUID() + "@test.creneau.fr";
    }

    private static Message email(String to) {
        return Message.email(
                "test:" + to,
                to,
                MessageKind.GUARD_ALERT,
                "test message",
                "Créneau : essai",
                "Bonjour,\n\nUn essai.\n");
    }

    private MessageDelivery worker(MailChannel mail, String name) {
        return new MessageDelivery(jdbc, scope, mail, clock, SETTINGS, name);
    }

    private MailChannel greenMail() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(smtp.getSmtp().getPort());
        return MailChannel.over(sender, "Créneau <no-reply@creneau.local>");
    }

    /** An SMTP outage: a port nothing listens on, connections refused. */
    private static MailChannel unreachableSmtp() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        return MailChannel.over(sender, "Créneau <no-reply@creneau.local>");
    }

    private Map<String, Object> row(String to) {
        return jdbc.sql("SELECT id, status, attempts, last_error, body_text FROM message WHERE recipient = :to")
                .param("to", to)
                .query()
                .singleRow();
    }

    private List<MimeMessage> receivedBy(String to) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> to.equals(firstRecipient(m)))
                .toList();
    }

    private static String firstRecipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (Exception e) {
            return "";
        }
    }
}
