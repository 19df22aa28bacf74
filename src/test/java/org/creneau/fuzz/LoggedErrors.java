package org.creneau.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Catches what the application logs at ERROR, or at WARN with a stack trace, while the fuzz test runs: bad
 * input must be logged at WARN at most and without a stack trace, or the logs can be flooded.
 */
final class LoggedErrors extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    LoggedErrors() {
        setName("fuzz-logged-errors");
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        boolean error = event.getLevel().isGreaterOrEqual(Level.ERROR);
        if (error || event.getLevel().isGreaterOrEqual(Level.WARN) && event.getThrowableProxy() != null) {
            String thrown = event.getThrowableProxy() == null
                    ? ""
                    : " with a stack trace (" + origin(event.getThrowableProxy()) + ")";
            String message = event.getFormattedMessage();
            events.add(event.getLevel() + " by " + event.getLoggerName() + thrown + ": "
                    + (message.length() > 200 ? message.substring(0, 200) + "..." : message));
        }
    }

    /** The root cause and the first frame of Créneau's code it went through: one per bug, whatever the input. */
    private static String origin(IThrowableProxy thrown) {
        IThrowableProxy root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StackTraceElementProxy[] frames = root.getStackTraceElementProxyArray();
        String where =
                frames.length == 0 ? "" : frames[0].getStackTraceElement().toString();
        for (StackTraceElementProxy frame : frames) {
            if (frame.getStackTraceElement().getClassName().startsWith("org.creneau.")) {
                where = frame.getStackTraceElement().toString();
                break;
            }
        }
        return root.getClassName() + " at " + where;
    }

    /** What was logged since the last call. */
    List<String> drain() {
        List<String> drained = new ArrayList<>();
        for (String event; (event = events.poll()) != null; ) {
            drained.add(event);
        }
        return drained;
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
