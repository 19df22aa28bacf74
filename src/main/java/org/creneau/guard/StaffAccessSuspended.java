package org.creneau.guard;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The staff account is contained by the guard: this request is refused (403), and so is every next one
 * until an admin of the organization lifts the containment. The answer says no more than that.
 */
public class StaffAccessSuspended extends ResponseStatusException {

    public StaffAccessSuspended() {
        super(HttpStatus.FORBIDDEN, "access suspended by the platform's guard");
    }
}
