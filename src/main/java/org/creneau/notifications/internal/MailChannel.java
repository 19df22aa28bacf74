package org.creneau.notifications.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends one email through the configured SMTP server ({@code spring.mail.*}): the plain text, its
 * HTML alternative and an attachment when the message has them. Each carries its outbox id in
 * {@code X-Creneau-Message}, so a receiver (or a test) can tell a message from its copy.
 */
@Component
class MailChannel {

    static final String MESSAGE_ID_HEADER = "X-Creneau-Message";

    private final ObjectProvider<JavaMailSender> sender;
    private final String from;

    MailChannel(
            ObjectProvider<JavaMailSender> sender,
            @Value("${creneau.mail.from:Créneau <no-reply@creneau.local>}") String from) {
        this.sender = sender;
        this.from = from;
    }

    /** A channel over a given SMTP client: for a second worker in tests, and for benchmarks. */
    static MailChannel over(JavaMailSender sender, String from) {
        return new MailChannel(new SingleSender(sender), from);
    }

    /** False when no SMTP server is configured: mail is off. */
    boolean isOn() {
        return sender.getIfAvailable() != null;
    }

    /** Sends it, or throws Spring's {@code MailException} (refused, unreachable, malformed). */
    void send(UUID id, String to, String subject, String text, String html, Message.Attachment attachment) {
        JavaMailSender mail = sender.getObject();
        MimeMessage mime = mail.createMimeMessage();
        try {
            boolean multipart = html != null || attachment != null;
            MimeMessageHelper message = new MimeMessageHelper(mime, multipart, StandardCharsets.UTF_8.name());
            message.setFrom(from);
            message.setTo(to);
            message.setSubject(subject == null ? "" : subject);
            if (html != null) {
                message.setText(text, html);
            } else {
                message.setText(text);
            }
            if (attachment != null) {
                message.addAttachment(
                        attachment.name(), new ByteArrayResource(attachment.content()), attachment.contentType());
            }
            mime.setHeader(MESSAGE_ID_HEADER, id.toString());
        } catch (MessagingException e) {
            throw new MailPreparationException("the message could not be built", e);
        }
        mail.send(mime);
    }

    /** The provider of one given sender. */
    private record SingleSender(JavaMailSender sender) implements ObjectProvider<JavaMailSender> {
        @Override
        public JavaMailSender getObject(Object... args) {
            return sender;
        }

        @Override
        public JavaMailSender getIfAvailable() {
            return sender;
        }

        @Override
        public JavaMailSender getIfUnique() {
            return sender;
        }

        @Override
        public JavaMailSender getObject() {
            return sender;
        }
    }
}
