package org.creneau;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Créneau: medical appointment booking, with an API that cannot be quietly emptied. */
@SpringBootApplication
@EnableScheduling
@org.springframework.scheduling.annotation.EnableAsync
public class CreneauApplication {

    public static void main(String[] args) {
        SpringApplication.run(CreneauApplication.class, args);
    }
}
