package org.creneau.journal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a handler which looks as if it touched patient or appointment data leaves no
 * journal entry, and says why: the exception is written where the handler is, and reviewed there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NotJournaled {

    /** Why this handler is not journaled. */
    String value();
}
