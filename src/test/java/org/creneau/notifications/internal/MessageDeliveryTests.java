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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    /** The application's own SMS gateway: the outbox table, in tests. */
    @Autowired
    SmsGateway sms;

    @Autowired
    SmsOutbox smsOutbox;

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
        try (FakeSmsGateway provider = new FakeSmsGateway()) {
            SmsGateway gateway = provider.gateway("token", Duration.ofSeconds(5));
            Instant far = far();
            String sentBefore = address("restart-sent");
            outbox.enqueue(email(sentBefore), far);
            String smsSentBefore = phone(1);
            outbox.enqueue(sms(smsSentBefore, "restart-sent"), far);
            List<String> recipients = List.of(address("restart-a"), address("restart-b"), address("restart-c"));
            List<String> phones = List.of(phone(2), phone(3));
            Instant later = far.plusSeconds(1);
            recipients.forEach(to -> outbox.enqueue(email(to), later));
            phones.forEach(to -> outbox.enqueue(sms(to, "restart"), later));
            // The node sends what is due, then claims the next ones and is killed before sending them.
            MessageDelivery before = worker(greenMail(), gateway, "node-before-crash");
            assertThat(before.deliverDue(far)).isEqualTo(2);
            assertThat(before.claim(later, 10)).hasSize(recipients.size() + phones.size());

            MessageDelivery restarted = worker(greenMail(), gateway, "node-after-restart");
            assertThat(restarted.deliverDue(later.plusSeconds(60)))
                    .as("the dead node's claims still hold")
                    .isZero();
            assertThat(restarted.deliverDue(later.plus(SETTINGS.claim()).plusSeconds(1)))
                    .isEqualTo(recipients.size() + phones.size());
            assertThat(restarted.deliverDue(far.plus(Duration.ofDays(1)))).isZero();
            assertThat(before.deliverDue(far.plus(Duration.ofDays(1)))).isZero();

            for (String to : recipients) {
                assertThat(receivedBy(to)).hasSize(1);
                assertThat(row(to)).containsEntry("status", "SENT").containsEntry("attempts", 2);
            }
            assertThat(receivedBy(sentBefore)).hasSize(1);
            for (String to : phones) {
                assertThat(smsTo(provider, to)).hasSize(1);
                assertThat(smsRow(to, "restart"))
                        .containsEntry("status", "SENT")
                        .containsEntry("attempts", 2);
            }
            assertThat(smsTo(provider, smsSentBefore))
                    .as("sent before the crash, never again")
                    .hasSize(1);
        }
    }

    @Test
    void twoWorkersOverOneTableSendEachMessageOnceToTheSmtpServerAndTheSmsGateway() throws Exception {
        try (FakeSmsGateway provider = new FakeSmsGateway()) {
            SmsGateway gateway = provider.gateway("token", Duration.ofSeconds(5));
            Instant far = far();
            List<String> recipients = new ArrayList<>();
            List<String> phones = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String to = address("pair-" + i);
                recipients.add(to);
                outbox.enqueue(email(to), far);
                String number = phone(100 + i);
                phones.add(number);
                outbox.enqueue(sms(number, "pair"), far);
            }
            MessageDelivery first = worker(greenMail(), gateway, "node-1");
            MessageDelivery second = worker(greenMail(), gateway, "node-2");
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                List<Callable<Integer>> runs = List.of(() -> first.deliverDue(far), () -> second.deliverDue(far));
                int sent = 0;
                for (Future<Integer> run : nodes.invokeAll(runs)) {
                    sent += run.get();
                }
                assertThat(sent).isEqualTo(recipients.size() + phones.size());
            } finally {
                nodes.shutdown();
            }
            Map<String, Long> copies = Arrays.stream(smtp.getReceivedMessages())
                    .filter(m -> recipients.contains(firstRecipient(m)))
                    .collect(Collectors.groupingBy(MessageDeliveryTests::firstRecipient, Collectors.counting()));
            assertThat(copies).hasSize(recipients.size());
            assertThat(copies.values()).containsOnly(1L);
            Map<String, Long> texts = provider.requests().stream()
                    .map(r -> JSON.readTree(r.body()).get("to").asString())
                    .collect(Collectors.groupingBy(to -> to, Collectors.counting()));
            assertThat(texts).hasSize(phones.size()).containsOnlyKeys(phones);
            assertThat(texts.values()).containsOnly(1L);
        }
    }

    @Test
    void anSmsGoesToTheHttpGatewayWithItsTokenSenderAndIdempotencyKeyToTheNumberInE164() throws Exception {
        try (FakeSmsGateway provider = new FakeSmsGateway()) {
            Instant far = far();
            // Stored before entries normalized numbers: read again before it goes.
            String typed = "06 12 34 " + (10 + TESTS.get() % 80) + " 00";
            outbox.enqueue(sms(typed, "format"), far);
            assertThat(worker(greenMail(), provider.gateway("s3cret", Duration.ofSeconds(5)), "node-http")
                            .deliverDue(far))
                    .isEqualTo(1);

            FakeSmsGateway.Request request = provider.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret");
            assertThat(request.header("Content-Type")).startsWith("application/json");
            String id = smsRow(typed, "format").get("id").toString();
            assertThat(request.header("Idempotency-Key")).isEqualTo(id);
            var body = JSON.readTree(request.body());
            assertThat(body.get("to").asString()).isEqualTo("+33612" + "34" + (10 + TESTS.get() % 80) + "00");
            assertThat(body.get("from").asString()).isEqualTo("Creneau");
            assertThat(body.get("text").asString()).isEqualTo("Créneau : essai par SMS");
            assertThat(body.get("reference").asString()).isEqualTo(id);
        }
    }

    @Test
    void aGatewayThatFailsFirstThenSucceedsGetsTheSmsDeliveredOnce() throws Exception {
        try (FakeSmsGateway provider = new FakeSmsGateway().answer(503)) {
            SmsGateway gateway = provider.gateway("token", Duration.ofSeconds(5));
            Instant far = far();
            String to = phone(7);
            outbox.enqueue(sms(to, "retry"), far);
            MessageDelivery node = worker(greenMail(), gateway, "node-retry");

            assertThat(node.deliverDue(far)).isZero();
            assertThat(smsRow(to, "retry")).containsEntry("status", "PENDING").containsEntry("attempts", 1);
            assertThat((String) smsRow(to, "retry").get("last_error"))
                    .startsWith("SMS gateway answered HTTP 503")
                    .doesNotContain(to);
            assertThat(node.deliverDue(far.plusSeconds(20)))
                    .as("not before the backoff")
                    .isZero();
            assertThat(node.deliverDue(far.plusSeconds(31))).isEqualTo(1);
            assertThat(node.deliverDue(far.plus(Duration.ofDays(1)))).isZero();

            assertThat(smsRow(to, "retry")).containsEntry("status", "SENT").containsEntry("attempts", 2);
            assertThat(provider.requests()).hasSize(2);
            assertThat(provider.requests().stream().filter(FakeSmsGateway.Request::accepted))
                    .as("delivered once")
                    .hasSize(1);
        }
    }

    @Test
    void aGatewayThatDoesNotAnswerInTimeIsARetryableFailureWithItsReason() throws Exception {
        try (FakeSmsGateway provider = new FakeSmsGateway().answer(FakeSmsGateway.HANG)) {
            SmsGateway gateway = provider.gateway("token", Duration.ofMillis(300));
            Instant far = far();
            String to = phone(8);
            outbox.enqueue(sms(to, "timeout"), far);
            MessageDelivery node = worker(greenMail(), gateway, "node-timeout");

            assertThat(node.deliverDue(far)).isZero();
            assertThat(smsRow(to, "timeout")).containsEntry("status", "PENDING").containsEntry("attempts", 1);
            assertThat((String) smsRow(to, "timeout").get("last_error")).startsWith("SMS gateway timed out");
            assertThat(node.deliverDue(far.plusSeconds(31))).isEqualTo(1);
            assertThat(smsRow(to, "timeout")).containsEntry("status", "SENT");
        }
    }

    @Test
    void anSmsToANumberThatDoesNotReadFailsForGoodAtOnce() {
        Instant far = far();
        outbox.enqueue(sms("+33 6 12", "unreadable"), far);
        assertThat(worker(greenMail(), "node-unreadable").deliverDue(far)).isZero();
        assertThat(smsRow("+33 6 12", "unreadable"))
                .containsEntry("status", "FAILED")
                .containsEntry("attempts", 1)
                .containsEntry("last_error", "the recipient is not a valid phone number");
    }

    @Test
    void withoutAnSmsProviderTheSmsIsWrittenToTheOutboxThePlatformAdminReads() {
        Instant far = far();
        String to = phone(9);
        outbox.enqueue(sms(to, "outbox"), far);
        assertThat(worker(greenMail(), "node-outbox").deliverDue(far)).isEqualTo(1);
        String id = smsRow(to, "outbox").get("id").toString();
        // Handed over again (a worker killed between the send and its mark): kept once.
        sms.send(UUID.fromString(id), org.creneau.platform.PhoneNumber.parse("phone", to), "Créneau : essai par SMS");
        assertThat(jdbc.sql("SELECT count(*) FROM sms_outbox WHERE id = :id")
                        .param("id", UUID.fromString(id))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        ApiClient admin = SignIn.platformAdmin(port, fixtures.platformAdmin());
        // Newest first by the application's clock, which other tests move: this one's is on some page.
        JsonNode mine = null;
        String newest = null;
        for (int page = 0; mine == null; page++) {
            ApiClient.Response list = admin.get("/api/v1/admin/sms?size=50&page=" + page);
            assertThat(list.status()).isEqualTo(200);
            List<JsonNode> items = list.body().get("items").valueStream().toList();
            assertThat(items).as("this test's SMS among the outbox's").isNotEmpty();
            newest = newest == null ? items.get(0).get("id").asString() : newest;
            mine = items.stream()
                    .filter(m -> m.get("id").asString().equals(id))
                    .findFirst()
                    .orElse(null);
        }
        assertThat(mine.get("recipient").asString()).isEqualTo(to);
        assertThat(mine.get("sender").asString()).isEqualTo("Creneau");
        assertThat(mine.get("text").asString()).isEqualTo("Créneau : essai par SMS");
        assertThat(admin.get("/admin/messages").raw().body()).contains("sms-" + newest);

        ApiClient patient = new ApiClient(port);
        patient.registerAndLogin(address("curious-sms"));
        assertThat(patient.get("/api/v1/admin/sms").status()).isIn(403, 404);
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

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A French mobile number of this test's own (the suite shares the outbox). */
    private static String phone(int n) {
        return String.format("+3378%03d%04d", TESTS.get() % 1000, n);
    }

    private static Message sms(String to, String event) {
        return new Message(
                "test:" + event + ":" + to,
                to,
                Message.Channel.SMS,
                MessageKind.GUARD_ALERT,
                "test sms",
                null,
                "Créneau : essai par SMS",
                null,
                null);
    }

    private Map<String, Object> smsRow(String to, String event) {
        return jdbc.sql("""
                        SELECT id, status, attempts, last_error FROM message
                         WHERE channel = 'SMS' AND event_key = :key AND recipient = :to
                        """)
                .param("key", "test:" + event + ":" + to)
                .param("to", to)
                .query()
                .singleRow();
    }

    private static List<FakeSmsGateway.Request> smsTo(FakeSmsGateway provider, String number) {
        return provider.requests().stream()
                .filter(r -> number.equals(JSON.readTree(r.body()).get("to").asString()))
                .toList();
    }

    private MessageDelivery worker(MailChannel mail, String name) {
        return new MessageDelivery(jdbc, scope, mail, sms, clock, SETTINGS, name);
    }

    private MessageDelivery worker(MailChannel mail, SmsGateway gateway, String name) {
        return new MessageDelivery(jdbc, scope, mail, gateway, clock, SETTINGS, name);
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
