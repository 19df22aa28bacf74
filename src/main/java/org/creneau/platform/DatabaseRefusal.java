package org.creneau.platform;

import java.sql.SQLException;

/**
 * Tells a value the database refused by itself (SQL state class 22, "data exception": a NUL
 * character, a number or a time out of range) from a constraint or a failure: the first is bad
 * input, answered 400 on every surface, and its SQL text is never shown.
 */
public final class DatabaseRefusal {

    private DatabaseRefusal() {}

    public static boolean isInvalidValue(Throwable failure) {
        String state = sqlState(failure);
        return state != null && state.startsWith("22");
    }

    /** The SQL state of the first {@link SQLException} in the causes, or null. */
    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
