/**
 * Notifications: every message starts from another module's event, received after that change
 * commits through the event publication registry, and is written to the durable outbox
 * ({@code message}, one row per event, recipient, channel and kind); delivery workers on any node
 * send it with retries, each message once. See docs/architecture.md, "Messages".
 */
@OwnsTables({"message", "reminder", "reminder_policy", "sms_outbox", "message_preference"})
package org.creneau.notifications;

import org.creneau.platform.OwnsTables;
