package org.creneau.notifications.internal;

/** A recipient as the platform admin sees it: enough to tell two apart, not enough to write to. */
final class RecipientMask {

    private RecipientMask() {}

    /** {@code c•••@demo.creneau.fr} for an email address, {@code +33•••••••78} for a phone number. */
    static String of(String recipient) {
        int at = recipient.indexOf('@');
        if (at > 0) {
            return recipient.charAt(0) + "•••" + recipient.substring(at);
        }
        if (recipient.length() <= 5) {
            return "•••";
        }
        return recipient.substring(0, 3)
                + "•".repeat(recipient.length() - 5)
                + recipient.substring(recipient.length() - 2);
    }
}
