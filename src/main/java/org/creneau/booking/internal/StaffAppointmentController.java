package org.creneau.booking.internal;

import java.util.UUID;
import org.creneau.access.AccessPolicy;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the practice does to its own appointments. */
@RestController
@RequestMapping("/api/v1/staff")
class StaffAppointmentController {

    private final AppointmentBook book;
    private final AccessPolicy policy;

    StaffAppointmentController(AppointmentBook book, AccessPolicy policy) {
        this.book = book;
        this.policy = policy;
    }

    @PostMapping("/appointments/{id}/no-show")
    AppointmentController.AppointmentView noShow(@PathVariable UUID id) {
        return AppointmentController.AppointmentView.of(book.markNoShow(policy.requireStaff(), id));
    }
}
