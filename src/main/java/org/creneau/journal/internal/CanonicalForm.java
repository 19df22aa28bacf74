package org.creneau.journal.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The text an entry's hash covers, built the same way when appending and when verifying: every
 * stored column, in a fixed order, with times in UTC to the microsecond (what PostgreSQL keeps).
 */
public final class CanonicalForm {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CanonicalForm() {}

    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static String body(
            Instant recordedAt,
            String actorKind,
            UUID actorId,
            String actorRole,
            UUID grantId,
            UUID organizationId,
            String route,
            String purpose,
            String resourceType,
            List<UUID> resourceIds,
            List<String> fields,
            String outcome) {
        return String.join(
                "|",
                MICROS.format(truncate(recordedAt)),
                actorKind,
                text(actorId),
                text(actorRole),
                text(grantId),
                text(organizationId),
                escape(route),
                escape(purpose),
                resourceType,
                resourceIds.stream().map(UUID::toString).collect(Collectors.joining(",")),
                fields.stream().map(CanonicalForm::escape).collect(Collectors.joining(",")),
                outcome);
    }

    private static String text(Object value) {
        return value == null ? "" : escape(value.toString());
    }

    /** Separators inside values are escaped, so two different entries never share a text. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,");
    }
}
