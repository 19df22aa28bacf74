package org.creneau.directory;

import java.time.ZoneId;
import java.util.UUID;

/** A place where an organization receives patients. */
public record Site(
        UUID id,
        UUID organizationId,
        String name,
        String addressLine,
        String postcode,
        String city,
        double latitude,
        double longitude,
        ZoneId timeZone) {}
