package org.creneau.guard;

/** The guard has just contained the caller: the request is refused, and so are the next ones. */
public class AccessContained extends RuntimeException {

    private final Signal signal;

    public AccessContained(Signal signal) {
        super("access suspended by the platform's guard (" + signal.name().toLowerCase(java.util.Locale.ROOT) + ")");
        this.signal = signal;
    }

    public Signal signal() {
        return signal;
    }
}
