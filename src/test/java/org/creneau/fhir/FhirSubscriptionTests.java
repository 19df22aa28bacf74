package org.creneau.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.creneau.booking.BookingApiTests;
import org.creneau.support.ApiClient;
import org.creneau.support.FhirTestClient;
import org.creneau.support.Fixtures;
import org.creneau.support.Fixtures.Practice;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.SignIn;
import org.creneau.support.SmartBackendClient;
import org.creneau.support.TestConfiguration;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Practice software subscribes to appointment changes with the real HAPI client, and a real HTTP
 * receiver on this machine gets signed notifications, retried with backoff as the clock moves.
 * The receiver is reached by the name {@code localhost}, the only allow-listed host in the tests.
 */
@IntegrationTest
class FhirSubscriptionTests {

    static final String SECRET_EXTENSION = "https://creneau.org/fhir/StructureDefinition/subscription-secret";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ALL_SCOPES = "system/Appointment.rs system/Appointment.cu system/Subscription.crds";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    Practice practice;
    ApiClient orgAdmin;
    String orgPatientId;
    SmartBackendClient app;
    String clientId;
    Receiver receiver;
    final List<Receiver> receivers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        clock.set(TestConfiguration.MONDAY_MORNING);
        practice = fixtures.practice("chirurgien-dentiste");
        app = new SmartBackendClient(port);
        clientId = register(app, List.of("system/Appointment.rs", "system/Appointment.cu", "system/Subscription.crds"));
        orgAdmin = SignIn.staff(port, practice.adminEmail());
        grant(
                orgAdmin,
                clientId,
                List.of("system/Appointment.rs", "system/Appointment.cu", "system/Subscription.crds"));
        orgPatientId = patientFileEntry(practice);
        receiver = receiver();
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.server.stop(0));
    }

    @Test
    void aBookingIsDeliveredAsAHistoryBundleSignedWithTheSecretGivenOnceAtCreation() {
        IGenericClient client = fhir(ALL_SCOPES);
        MethodOutcome created = client.create()
                .resource(subscription("Appointment?", receiver.endpoint(), true))
                .execute();
        Subscription answer = (Subscription) created.getResource();
        String secret = answer.getChannel().getExtensionString(SECRET_EXTENSION);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(answer.getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
        assertThat(FhirTestClient.errorsOf(answer)).isEmpty();
        String id = created.getId().getIdPart();
        Subscription read =
                client.read().resource(Subscription.class).withId(id).execute();
        assertThat(read.getChannel().getExtensionByUrl(SECRET_EXTENSION)).isNull();
        assertThat(read.getChannel().getEndpoint()).isEqualTo(receiver.endpoint());
        assertThat(FhirTestClient.errorsOf(read)).isEmpty();

        String appointmentId = book(client, practice);

        Received notice = receiver.await(1);
        assertThat(notice.header("X-Creneau-Signature")).isEqualTo("sha256=" + hmac(secret, notice.body()));
        assertThat(notice.header("X-Creneau-Signature")).isNotEqualTo("sha256=" + hmac(secret + "x", notice.body()));
        assertThat(notice.header("X-Creneau-Subscription")).isEqualTo(id);
        assertThat(notice.header("Content-Type")).startsWith("application/fhir+json");
        Bundle bundle = notice.bundle();
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        Appointment sent = (Appointment) bundle.getEntryFirstRep().getResource();
        assertThat(sent.getIdElement().getIdPart()).isEqualTo(appointmentId);
        assertThat(sent.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(sent.getParticipant())
                .extracting(p -> p.getActor().getReference())
                .contains("Patient/" + orgPatientId);
        assertThat(new String(notice.body(), StandardCharsets.UTF_8)).doesNotContain("Parlefil");
        assertThat(FhirTestClient.errorsOf(bundle)).isEmpty();
        assertThat(new JdbcTemplate(owner)
                        .queryForObject(
                                "SELECT count(*) FROM journal_entry WHERE resource_ids @> ARRAY[?::uuid]"
                                        + " AND purpose = 'notify' AND actor_kind = 'APP'",
                                Long.class,
                                appointmentId))
                .isEqualTo(1);
    }

    @Test
    void anIdOnlySubscriptionGetsTheAppointmentsIdAndVersionWithoutTheResource() {
        IGenericClient client = fhir(ALL_SCOPES);
        String secret = secretOf(client.create()
                .resource(subscription(
                        "Appointment?actor=Practitioner/" + practice.practitionerId(), receiver.endpoint(), false))
                .execute());

        String appointmentId = book(client, practice);

        Received notice = receiver.await(1);
        assertThat(notice.header("X-Creneau-Signature")).isEqualTo("sha256=" + hmac(secret, notice.body()));
        Bundle.BundleEntryComponent entry = notice.bundle().getEntryFirstRep();
        assertThat(entry.hasResource()).isFalse();
        assertThat(entry.getResponse().getLocation()).isEqualTo("Appointment/" + appointmentId + "/_history/1");
        assertThat(FhirTestClient.errorsOf(notice.bundle())).isEmpty();
    }

    @Test
    void aReceiverAnswering500IsTriedAgainAfterTheBackoffThenDelivered() {
        receiver.answers(500);
        IGenericClient client = fhir(ALL_SCOPES);
        String secret = secretOf(client.create()
                .resource(subscription("Appointment?", receiver.endpoint(), true))
                .execute());
        book(client, practice);

        Received first = receiver.await(1);
        pause(Duration.ofMillis(1500));
        assertThat(receiver.received)
                .as("not again before 30 seconds have passed")
                .hasSize(1);

        clock.advance(Duration.ofSeconds(30));
        Received second = receiver.await(2);
        assertThat(second.header("X-Creneau-Delivery")).isEqualTo(first.header("X-Creneau-Delivery"));
        assertThat(second.header("X-Creneau-Signature")).isEqualTo("sha256=" + hmac(secret, second.body()));

        clock.advance(Duration.ofHours(2));
        pause(Duration.ofMillis(1500));
        assertThat(receiver.received).as("delivered: never sent again").hasSize(2);
    }

    @Test
    void aSubscriptionWhoseReceiverKeepsFailingTurnsErrorAfterTheLastAttempt() {
        receiver.answers(500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
        IGenericClient client = fhir(ALL_SCOPES);
        String id = client.create()
                .resource(subscription("Appointment?", receiver.endpoint(), true))
                .execute()
                .getId()
                .getIdPart();
        book(client, practice);

        Duration wait = Duration.ofSeconds(30);
        for (int attempt = 1; attempt <= 8; attempt++) {
            receiver.await(attempt);
            clock.advance(wait);
            wait = wait.multipliedBy(2).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : wait.multipliedBy(2);
        }
        // An hour has passed: the first token has expired.
        Subscription stopped = awaitStatus(fhir(ALL_SCOPES), id, Subscription.SubscriptionStatus.ERROR);
        assertThat(stopped.getError()).contains("HTTP 500");
        assertThat(FhirTestClient.errorsOf(stopped)).isEmpty();
        clock.advance(Duration.ofHours(2));
        pause(Duration.ofMillis(1000));
        assertThat(receiver.received).hasSize(8);
    }

    @Test
    void aSubscriptionUnderAnotherOrganizationsGrantReceivesNothing() throws IOException {
        Practice other = fixtures.practice("chirurgien-dentiste");
        grant(
                SignIn.staff(port, other.adminEmail()),
                clientId,
                List.of("system/Appointment.rs", "system/Appointment.cu", "system/Subscription.crds"));
        Receiver otherReceiver = receiver();
        IGenericClient client = fhir(ALL_SCOPES);
        // The token now opens two organizations: a subscription must name its agenda.
        assertThatThrownBy(() -> client.create()
                        .resource(subscription("Appointment?", otherReceiver.endpoint(), true))
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("several organizations");
        client.create()
                .resource(subscription(
                        "Appointment?actor=Practitioner/" + other.practitionerId(), otherReceiver.endpoint(), true))
                .execute();
        client.create()
                .resource(subscription(
                        "Appointment?actor=Practitioner/" + practice.practitionerId(), receiver.endpoint(), true))
                .execute();

        String appointmentId = book(client, practice);

        assertThat(((Appointment) receiver.await(1).bundle().getEntryFirstRep().getResource())
                        .getIdElement()
                        .getIdPart())
                .isEqualTo(appointmentId);
        pause(Duration.ofMillis(1000));
        assertThat(otherReceiver.received).isEmpty();
    }

    @Test
    void theEndpointIsCheckedAgainBeforeEverySendNotOnlyAtCreation() {
        IGenericClient client = fhir(ALL_SCOPES);
        String id = client.create()
                .resource(subscription("Appointment?", receiver.endpoint(), true))
                .execute()
                .getId()
                .getIdPart();
        // As if the endpoint's name had been pointed at a loopback address after the subscription
        // was accepted: the same receiver, now reached by an address that is not allow-listed.
        JdbcTemplate asOwner = new JdbcTemplate(owner);
        asOwner.update(
                "UPDATE subscription SET endpoint = ? WHERE id = ?::uuid",
                "http://127.0.0.1:" + receiver.port() + "/hook",
                id);

        book(client, practice);

        Instant deadline = Instant.now().plus(WAIT);
        Integer attempts = 0;
        while (attempts == 0 && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(100));
            attempts = asOwner.queryForObject(
                    "SELECT coalesce(max(attempts), 0) FROM subscription_delivery WHERE subscription_id = ?::uuid",
                    Integer.class,
                    id);
        }
        assertThat(attempts).as("a failed attempt, refused before sending").isEqualTo(1);
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void anAppReadsListsAndDeletesOnlyItsOwnSubscriptions() throws IOException {
        IGenericClient client = fhir(ALL_SCOPES);
        String mine = client.create()
                .resource(subscription("Appointment?", receiver.endpoint(), true))
                .execute()
                .getId()
                .getIdPart();
        SmartBackendClient otherApp = new SmartBackendClient(port);
        String otherClientId = register(otherApp, List.of("system/Appointment.rs", "system/Subscription.crds"));
        grant(orgAdmin, otherClientId, List.of("system/Appointment.rs", "system/Subscription.crds"));
        IGenericClient otherClient = FhirTestClient.withToken(
                port,
                otherApp.requestToken(
                                otherApp.sign(
                                        otherApp.claims(otherClientId, clock.instant())
                                                .build(),
                                        otherApp.rsa),
                                "system/Appointment.rs system/Subscription.crds")
                        .accessToken());

        assertThatThrownBy(() -> otherClient
                        .read()
                        .resource(Subscription.class)
                        .withId(mine)
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() ->
                        otherClient.delete().resourceById("Subscription", mine).execute())
                .isInstanceOf(ResourceNotFoundException.class);
        Bundle theirs = otherClient
                .search()
                .forResource(Subscription.class)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(theirs.getEntry()).isEmpty();
        Bundle own = client.search()
                .forResource(Subscription.class)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(own.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(mine);
        assertThat(FhirTestClient.errorsOf(own)).isEmpty();

        // _count=0 answers the number of the app's subscriptions alone, as for every other search.
        String second = client.create()
                .resource(subscription("Appointment?", receiver.endpoint(), true))
                .execute()
                .getId()
                .getIdPart();
        Bundle counted = client.search()
                .byUrl("Subscription?_count=0")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(counted.getTotal()).isEqualTo(2);
        assertThat(counted.getEntry()).isEmpty();
        client.delete().resourceById("Subscription", second).execute();

        client.delete().resourceById("Subscription", mine).execute();
        assertThatThrownBy(() ->
                        client.read().resource(Subscription.class).withId(mine).execute())
                .isInstanceOf(ResourceNotFoundException.class);
        book(client, practice);
        pause(Duration.ofMillis(1000));
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void aGrantHoldsAtMostTenSubscriptionsAndDeletingOneMakesRoom() {
        IGenericClient client = fhir(ALL_SCOPES);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(client.create()
                    .resource(subscription("Appointment?", receiver.endpoint(), false))
                    .execute()
                    .getId()
                    .getIdPart());
        }

        assertThatThrownBy(() -> client.create()
                        .resource(subscription("Appointment?", receiver.endpoint(), false))
                        .execute())
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("at most 10 subscriptions");

        client.delete().resourceById("Subscription", ids.get(0)).execute();
        assertThat(client.create()
                        .resource(subscription("Appointment?", receiver.endpoint(), false))
                        .execute()
                        .getCreated())
                .isTrue();
    }

    @Test
    void subscribingNeedsTheSubscriptionScope() {
        assertThatThrownBy(() -> fhir("system/Appointment.rs system/Appointment.cu")
                        .create()
                        .resource(subscription("Appointment?", receiver.endpoint(), true))
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> fhir("system/Appointment.rs")
                        .search()
                        .forResource(Subscription.class)
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void loopbackPrivateAndLinkLocalEndpointsAreRefusedUnlessAllowListed() {
        IGenericClient client = fhir(ALL_SCOPES);
        for (String endpoint : List.of(
                "http://127.0.0.1:" + receiver.port() + "/hook",
                "https://127.0.0.1/hook",
                "https://10.0.0.1/hook",
                "https://169.254.169.254/latest/meta-data",
                "https://[::1]/hook",
                "https://192.168.1.20/hook",
                "https://100.64.0.1/hook",
                "https://0.0.0.0/hook",
                "https://[fd00::1]/hook")) {
            assertThatThrownBy(() -> client.create()
                            .resource(subscription("Appointment?", endpoint, true))
                            .execute())
                    .as(endpoint)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("loopback, private, link-local or reserved address");
        }
        assertThatThrownBy(() -> client.create()
                        .resource(subscription("Appointment?", "http://93.184.215.14/hook", true))
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("https");
        assertThatThrownBy(() -> client.create()
                        .resource(subscription("Patient?", receiver.endpoint(), true))
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("criteria");
        assertThatThrownBy(() -> client.create()
                        .resource(subscription("Appointment?", receiver.endpoint(), true)
                                .setChannel(new Subscription.SubscriptionChannelComponent()
                                        .setType(Subscription.SubscriptionChannelType.EMAIL)
                                        .setEndpoint("mailto:ops@cabinet.example")))
                        .execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("rest-hook");
        Bundle none = client.search()
                .forResource(Subscription.class)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(none.getEntry()).isEmpty();
    }

    // --- helpers

    String register(SmartBackendClient client, List<String> scopes) {
        return SignIn.platformAdmin(port, fixtures.platformAdmin())
                .post(
                        "/api/v1/admin/connected-apps",
                        Map.of(
                                "name",
                                "Logiciel de cabinet",
                                "contact",
                                "securite@editeur.example",
                                "jwks",
                                client.publicJwks(),
                                "scopes",
                                scopes))
                .text("clientId");
    }

    void grant(ApiClient admin, String client, List<String> scopes) {
        assertThat(admin.post(
                                "/api/v1/staff/connected-app-grants",
                                Map.of("clientId", client, "scopes", scopes, "contactDetails", false))
                        .status())
                .isEqualTo(201);
    }

    String patientFileEntry(Practice at) {
        ApiClient desk = SignIn.staff(port, at.staffEmail());
        return desk.post(
                        "/api/v1/staff/patients",
                        Map.of(
                                "firstName", "Hugo",
                                "lastName", "Parlefil",
                                "birthDate", "1979-03-03",
                                "phone", "+33 6 22 33 44 55"))
                .text("id");
    }

    IGenericClient fhir(String scopes) {
        String token = app.accessToken(clientId, clock.instant(), scopes);
        return FhirTestClient.withToken(port, token);
    }

    static Subscription subscription(String criteria, String endpoint, boolean withPayload) {
        Subscription s = new Subscription();
        s.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        s.setReason("Keep the practice software in sync");
        s.setCriteria(criteria);
        s.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(endpoint);
        if (withPayload) {
            s.getChannel().setPayload("application/fhir+json");
        }
        return s;
    }

    static String secretOf(MethodOutcome created) {
        return ((Subscription) created.getResource()).getChannel().getExtensionString(SECRET_EXTENSION);
    }

    /** Books Tuesday 9:00 for the practice's patient-file entry, through FHIR, as the app. */
    String book(IGenericClient client, Practice at) {
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.setStart(Date.from(BookingApiTests.TUESDAY_9));
        a.addParticipant().setActor(new Reference("Practitioner/" + at.practitionerId()));
        a.addParticipant().setActor(new Reference("Location/" + at.siteId()));
        a.addParticipant().setActor(new Reference("Patient/" + orgPatientId));
        a.addParticipant().setActor(new Reference("HealthcareService/" + at.motiveId()));
        for (Appointment.AppointmentParticipantComponent p : a.getParticipant()) {
            p.setStatus(Appointment.ParticipationStatus.ACCEPTED);
        }
        return client.create().resource(a).execute().getId().getIdPart();
    }

    Subscription awaitStatus(IGenericClient client, String id, Subscription.SubscriptionStatus status) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            Subscription s =
                    client.read().resource(Subscription.class).withId(id).execute();
            if (s.getStatus() == status || Instant.now().isAfter(deadline)) {
                return s;
            }
            pause(Duration.ofMillis(100));
        }
    }

    @Test
    void aStalledEndpointHoldsTwoSendersAndDelaysNoOtherEndpoint() throws Exception {
        IGenericClient client = fhir(ALL_SCOPES);
        StalledReceiver stalled = new StalledReceiver();
        try {
            for (int i = 0; i < 3; i++) {
                client.create()
                        .resource(subscription("Appointment?", stalled.endpoint(), false))
                        .execute();
            }
            client.create()
                    .resource(subscription("Appointment?", receiver.endpoint(), false))
                    .execute();

            book(client, practice);

            // Three notifications for the stalled endpoint, one for the other, all due at once.
            Instant deadline = Instant.now().plus(WAIT);
            while (stalled.inFlight.get() < 2 && Instant.now().isBefore(deadline)) {
                pause(Duration.ofMillis(20));
            }
            assertThat(receiver.await(1).header("X-Creneau-Subscription")).isNotNull();
            assertThat(stalled.received.get())
                    .as("nothing answered by the stalled endpoint yet")
                    .isZero();
            assertThat(stalled.mostAtOnce.get())
                    .as("senders held by one endpoint")
                    .isEqualTo(2);
        } finally {
            stalled.release.countDown();
        }
        // The third was put back a second on the application's clock.
        clock.advance(Duration.ofSeconds(2));
        Instant deadline = Instant.now().plus(WAIT);
        while (stalled.received.get() < 3 && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(50));
        }
        assertThat(stalled.received.get())
                .as("the third waited its turn, then went")
                .isEqualTo(3);
        assertThat(stalled.mostAtOnce.get()).isEqualTo(2);
        stalled.server.stop(0);
    }

    /** The receiver's side of the signature, computed independently of the application's code. */
    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Receiver receiver() throws IOException {
        Receiver r = new Receiver();
        receivers.add(r);
        return r;
    }

    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        Bundle bundle() {
            return FhirTestClient.FHIR
                    .newJsonParser()
                    .parseResource(Bundle.class, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** An endpoint that takes notifications in and answers none until released, counting those it holds. */
    static final class StalledReceiver {
        final HttpServer server;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();

        StalledReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/hook", exchange -> {
                exchange.getRequestBody().readAllBytes();
                mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    release.await(8, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inFlight.decrementAndGet();
                received.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        String endpoint() {
            return "http://localhost:" + server.getAddress().getPort() + "/hook";
        }
    }

    /** What a practice's software runs: an HTTP endpoint on 127.0.0.1 that records each notification. */
    static final class Receiver {
        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
                Integer status = statuses.poll();
                exchange.sendResponseHeaders(status == null ? 200 : status, -1);
                exchange.close();
            });
            server.start();
        }

        /** The next answers, in order; 200 once they run out. */
        void answers(Integer... next) {
            statuses.addAll(List.of(next));
        }

        int port() {
            return server.getAddress().getPort();
        }

        String endpoint() {
            return "http://localhost:" + port() + "/hook";
        }

        /** The n-th notification received, waiting for it a bounded time. */
        Received await(int n) {
            Instant deadline = Instant.now().plus(WAIT);
            while (received.size() < n) {
                assertThat(Instant.now()).as("notification " + n + " in time").isBefore(deadline);
                pause(Duration.ofMillis(50));
            }
            return received.get(n - 1);
        }
    }
}
