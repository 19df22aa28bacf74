package org.creneau.demo;

import org.creneau.platform.NoExternalDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On an empty embedded database, writes the demo; then says where Créneau is and how to sign in. An
 * external database never gets the demo, whose logins are public.
 */
@Component
class DemoDataLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

    private final DemoData demo;
    private final Environment environment;
    private final boolean enabled;
    private final long seed;

    DemoDataLoader(
            DemoData demo,
            Environment environment,
            @Value("${creneau.demo.enabled:true}") boolean enabled,
            @Value("${creneau.demo.seed:20260329}") long seed) {
        this.demo = demo;
        this.environment = environment;
        this.enabled = enabled;
        this.seed = seed;
    }

    /** First among the start-up passes, so that those after it (canary records) cover the demo too. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void loadAndAnnounce() {
        // The demo's logins and their password are published: never written on a real, external database.
        boolean external = NoExternalDatabase.externalConfigured(environment);
        if (enabled && external) {
            log.warn("Demo data is written only on the embedded database: the external database is left as it is"
                    + " (set CRENEAU_DEMO_ENABLED=false to silence this line)");
        } else if (enabled && demo.isEmpty()) {
            demo.generate(seed);
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        if (enabled && !external) {
            log.info(
                    """

                    ==========================================================
                     Créneau is running at http://localhost:{}/
                     API documentation: http://localhost:{}/swagger-ui.html
                     Practice and admin pages: http://localhost:{}/connexion
                     Demo logins (password {}):
                       patient      {}
                       secretary    {}
                       practitioner {}
                       centre admin {}
                     Staff also give a code from an authenticator app (TOTP);
                     add this secret to any app: {}
                    ==========================================================""",
                    port,
                    port,
                    port,
                    DemoData.DEMO_PASSWORD,
                    DemoData.PATIENT_LOGIN,
                    DemoData.SECRETARY_LOGIN,
                    DemoData.PRACTITIONER_LOGIN,
                    DemoData.ADMIN_LOGIN,
                    DemoData.STAFF_TOTP_SECRET);
        } else {
            log.info("Créneau is running at http://localhost:{}/", port);
        }
    }
}
