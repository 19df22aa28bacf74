package org.creneau.notifications;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/**
 * Sends plain-text email through the configured SMTP server ({@code spring.mail.*}). With none
 * configured, mail is off: the notice is logged by identifier only, never its text.
 */
@Service
public class MailChannel {

    private static final Logger log = LoggerFactory.getLogger(MailChannel.class);

    private final ObjectProvider<JavaMailSender> sender;
    private final String from;

    MailChannel(
            ObjectProvider<JavaMailSender> sender,
            @Value("${creneau.mail.from:Créneau <no-reply@creneau.local>}") String from) {
        this.sender = sender;
        this.from = from;
    }

    /** @param reference an identifier for the logs (an event or object id), never personal data */
    public void send(String to, String subject, String text, String reference) {
        JavaMailSender mail = sender.getIfAvailable();
        if (mail == null) {
            log.info("Mail is off (no spring.mail.host): notice {} not sent", reference);
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(to);
        message.setSubject(subject);
        message.setText(text);
        mail.send(message);
        log.info("Notice {} sent", reference);
    }
}
