package org.creneau.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The tables a module owns, declared on its {@code package-info.java}: only that module's SQL names
 * them; other modules call its API. {@code TableOwnershipTests} holds every table of the migrations to
 * exactly one owner and every module's SQL to its own tables.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PACKAGE)
public @interface OwnsTables {

    /** The tables' names, as the migrations create them. */
    String[] value();
}
