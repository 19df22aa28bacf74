package org.creneau.journal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a JSON API handler or a page handler reads or writes patient or appointment data,
 * and how its access is journaled. The journal's hooks record the entry from this declaration, the
 * matched route and what the handler returned or put in its page's model (or the identifier it
 * refused), before the answer leaves: no handler types a journal call by hand.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Journaled {

    /** Why the data is accessed, as the patient's access log shows it ("view appointment"). */
    String purpose();

    /** The kind of resource the returned identifiers name. */
    Resource resource();

    /** How the access ends when the handler answers. */
    Outcome outcome() default Outcome.READ;

    /**
     * The record component of the returned view that holds the identifier to journal: {@code id}
     * unless the view names the resource by another field.
     */
    String idField() default "id";

    /**
     * For a page handler: the model attribute holding the view (or page or list of views) the page
     * shows; after a redirect, the flash attribute the handler hands to the next page.
     */
    String model() default "";

    /** The kinds of resource the journal names, as they are written in its entries. */
    enum Resource {
        APPOINTMENT("Appointment"),
        PATIENT("Patient"),
        WAITLIST_ENTRY("WaitlistEntry");

        private final String recorded;

        Resource(String recorded) {
            this.recorded = recorded;
        }

        /** The name written in the journal entry. */
        public String recorded() {
            return recorded;
        }
    }

    /** How an access declared on a handler ends when it answers. */
    enum Outcome {
        READ,
        CREATED,
        UPDATED
    }
}
