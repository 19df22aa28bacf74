/**
 * Notifications: email (SMTP) now, SMS and reminders later. Listens to the other modules' events
 * after they commit, through the event publication registry, so a notice is never lost with a
 * crash and never sent for a change that was rolled back.
 */
package org.creneau.notifications;
