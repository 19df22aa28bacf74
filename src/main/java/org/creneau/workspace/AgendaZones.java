package org.creneau.workspace;

import java.time.ZoneId;
import java.util.UUID;
import org.creneau.directory.Directory;
import org.creneau.directory.Site;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The time zone an agenda's times are shown and typed in: its (first) site's, else the platform's
 * default, so that a practice reads its day as its clocks show it.
 */
@Component
class AgendaZones {

    private final Directory directory;
    private final ZoneId defaultZone;

    AgendaZones(Directory directory, @Value("${creneau.default-time-zone:Europe/Paris}") String defaultZone) {
        this.directory = directory;
        this.defaultZone = ZoneId.of(defaultZone);
    }

    ZoneId of(UUID practitionerId) {
        return directory.sitesOf(practitionerId).stream()
                .map(Site::timeZone)
                .findFirst()
                .orElse(defaultZone);
    }
}
