package org.creneau.notifications.internal;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.creneau.access.TenantScope;
import org.creneau.platform.EmbeddedServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The benchmark's {@code reminders} part: {@code count} appointments tomorrow (copies of a demo
 * appointment, in short disjoint slots of one agenda), their 24-hour reminders due by email and by
 * SMS, then the time for the reminder run to queue every message and for two delivery workers to hand
 * them all to the channels (a fake SMTP client that writes each MIME message out and drops it, a fake
 * SMS gateway that counts), and the heap's peak.
 */
public final class ReminderBench {

    public record Result(
            int appointments,
            int queued,
            int sent,
            long emails,
            long sms,
            Duration run,
            Duration delivery,
            long peakHeapBytes) {}

    private ReminderBench() {}

    public static Result run(Path dataDir, int count) throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(org.creneau.CreneauApplication.class)
                .run(
                        "--creneau.demo.enabled=true",
                        "--server.port=0",
                        "--management.server.port=0",
                        "--creneau.database.embedded.data-dir=" + dataDir.resolve("postgres"),
                        "--creneau.journal.checkpoint-directory=" + dataDir.resolve("journal/checkpoints"),
                        "--creneau.journal.key-directory=" + dataDir.resolve("journal/keys"),
                        // The part runs the reminders and the workers itself, at the time it chooses.
                        "--creneau.messages.send-interval=PT24H",
                        "--creneau.messages.reminder-interval=PT24H",
                        "--logging.level.root=WARN");
        try {
            EmbeddedServer postgres = app.getBean(EmbeddedServer.class);
            // "Tomorrow" for a run a year from now, where no demo appointment stands in the way.
            Instant now = Instant.now().plus(Duration.ofDays(400)).truncatedTo(ChronoUnit.DAYS);
            Instant tomorrow = now.plus(Duration.ofHours(24));
            seed(postgres, count, tomorrow);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            TenantScope scope = app.getBean(TenantScope.class);
            ReminderRun reminders = app.getBean(ReminderRun.class);

            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .toList();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);

            long start = System.nanoTime();
            // Every appointment's 24-hour reminder is due by then (the last one's last), every appointment
            // still ahead: the slots are 0.8 s apart, 100,000 of them fill 22 hours.
            Instant runAt = tomorrow.minus(Duration.ofHours(24)).plus(Duration.ofMillis(800L * count));
            int queued = reminders.run(runAt);
            Duration run = Duration.ofNanos(System.nanoTime() - start);

            AtomicLong written = new AtomicLong();
            MailChannel fakeSmtp = MailChannel.over(new DiscardingSender(written), "Créneau <no-reply@creneau.local>");
            AtomicLong texted = new AtomicLong();
            SmsGateway fakeGateway = (id, to, text) -> texted.incrementAndGet();
            MessageDelivery.Settings settings =
                    new MessageDelivery.Settings(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofHours(1), 8);
            ExecutorService workers = Executors.newFixedThreadPool(2);
            long deliveryStart = System.nanoTime();
            int sent = 0;
            try {
                List<Future<Integer>> runs = workers.invokeAll(List.of(
                        () -> new MessageDelivery(
                                        jdbc, scope, fakeSmtp, fakeGateway, Clock.systemUTC(), settings, "bench-1")
                                .deliverDue(runAt),
                        () -> new MessageDelivery(
                                        jdbc, scope, fakeSmtp, fakeGateway, Clock.systemUTC(), settings, "bench-2")
                                .deliverDue(runAt)));
                for (Future<Integer> f : runs) {
                    sent += f.get();
                }
            } finally {
                workers.shutdown();
            }
            Duration delivery = Duration.ofNanos(System.nanoTime() - deliveryStart);
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            return new Result(count, queued, sent, written.get(), texted.get(), run, delivery, peak);
        } finally {
            app.close();
        }
    }

    /** {@code count} copies of a booked demo appointment, tomorrow, and their 24-hour reminders by email and SMS. */
    private static void seed(EmbeddedServer postgres, int count, Instant tomorrow) throws Exception {
        try (Connection c = postgres.dataSource("creneau_owner", "creneau").getConnection()) {
            c.setAutoCommit(false);
            List<String> columns;
            try (var s = c.createStatement();
                    var rs = s.executeQuery(
                            "SELECT column_name FROM information_schema.columns"
                                    + " WHERE table_name = 'appointment' AND table_schema = 'public' ORDER BY ordinal_position")) {
                columns = new java.util.ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            String targets = String.join(", ", columns);
            // Slots of 0.6 s, 0.8 s apart: disjoint, so the agenda's exclusion constraint holds.
            String values = columns.stream()
                    .map(col -> switch (col) {
                        case "id" -> "gen_random_uuid()";
                        case "start_at" -> "CAST(? AS timestamptz) + g * interval '800 milliseconds'";
                        case "end_at" ->
                            "CAST(? AS timestamptz) + g * interval '800 milliseconds' + interval '600 milliseconds'";
                        default -> "a." + col;
                    })
                    .collect(Collectors.joining(", "));
            try (var insert = c.prepareStatement("INSERT INTO appointment (" + targets + ") SELECT " + values
                    + " FROM (SELECT * FROM appointment WHERE status = 'BOOKED' AND org_patient_id IS NOT NULL"
                    + " AND NOT decoy LIMIT 1) a, generate_series(0, ? - 1) g")) {
                insert.setObject(1, tomorrow.atOffset(ZoneOffset.UTC));
                insert.setObject(2, tomorrow.atOffset(ZoneOffset.UTC));
                insert.setInt(3, count);
                insert.executeUpdate();
            }
            try (var s = c.prepareStatement("""
                    INSERT INTO reminder (appointment_id, organization_id, lead, start_at, due_at)
                    SELECT id, organization_id, 'HOURS_24', start_at, start_at - interval '24 hours'
                      FROM appointment WHERE start_at >= ? AND start_at < ? + interval '1 day'
                    """)) {
                s.setObject(1, tomorrow.atOffset(ZoneOffset.UTC));
                s.setObject(2, tomorrow.atOffset(ZoneOffset.UTC));
                s.executeUpdate();
            }
            try (var s = c.createStatement()) {
                s.execute("""
                        INSERT INTO reminder_policy (organization_id, email_leads, sms_leads)
                        SELECT DISTINCT organization_id, ARRAY['HOURS_24'], ARRAY['HOURS_24'] FROM reminder
                        ON CONFLICT (organization_id) DO UPDATE
                           SET email_leads = ARRAY['HOURS_24'], sms_leads = ARRAY['HOURS_24']
                        """);
            }
            c.commit();
            c.setAutoCommit(true);
            try (var s = c.createStatement()) {
                s.execute("VACUUM ANALYZE appointment");
                s.execute("VACUUM ANALYZE reminder");
            }
        }
    }

    /** A fake SMTP client: each message is written out in full (MIME built and encoded), then dropped. */
    private record DiscardingSender(AtomicLong written) implements JavaMailSender {

        private static final JavaMailSenderImpl SESSIONS = new JavaMailSenderImpl();

        @Override
        public MimeMessage createMimeMessage() {
            return SESSIONS.createMimeMessage();
        }

        @Override
        public MimeMessage createMimeMessage(InputStream contentStream) throws MailException {
            return SESSIONS.createMimeMessage(contentStream);
        }

        @Override
        public void send(MimeMessage... mimeMessages) throws MailException {
            for (MimeMessage m : mimeMessages) {
                try {
                    m.saveChanges();
                    m.writeTo(OutputStream.nullOutputStream());
                } catch (IOException | jakarta.mail.MessagingException e) {
                    throw new org.springframework.mail.MailPreparationException("could not write", e);
                }
                written.incrementAndGet();
            }
        }

        @Override
        public void send(SimpleMailMessage... simpleMessages) throws MailException {
            written.addAndGet(simpleMessages.length);
        }
    }
}
