package org.creneau.notifications.internal;

import java.util.Objects;

/**
 * One message to one recipient on one channel, as the outbox keeps it until it is sent.
 *
 * @param eventKey what caused it (the event's objects and time): with recipient, channel and kind it
 *     is the idempotency key, so a replayed event never adds a second message
 * @param reference the identifier the logs name instead of the recipient
 * @param html the HTML alternative of an email, or null
 * @param attachment a file sent with an email, or null
 */
record Message(
        String eventKey,
        String recipient,
        Channel channel,
        MessageKind kind,
        String reference,
        String subject,
        String text,
        String html,
        Attachment attachment) {

    enum Channel {
        EMAIL,
        SMS
    }

    record Attachment(String name, String contentType, byte[] content) {}

    Message {
        Objects.requireNonNull(eventKey);
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(channel);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(reference);
        Objects.requireNonNull(text);
    }

    /** A plain-text email. */
    static Message email(String eventKey, String to, MessageKind kind, String reference, String subject, String text) {
        return new Message(eventKey, to, Channel.EMAIL, kind, reference, subject, text, null, null);
    }
}
