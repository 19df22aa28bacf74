package org.creneau.guard;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A staff account reached its quota of distinct patients shown in a day: the answer is withheld (429). */
public class StaffQuotaReached extends ResponseStatusException {

    public StaffQuotaReached() {
        super(HttpStatus.TOO_MANY_REQUESTS, "quota of patients reached");
    }
}
