package org.creneau.journal;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The names of connected apps, which the patient's access log shows. The registry (the apps module)
 * provides it: apps already depends on the journal through the guard, so the journal asks through
 * this interface rather than calling the registry back.
 */
public interface AppNames {

    /** The registered name of each of these apps that exists. */
    Map<UUID, String> of(Collection<UUID> appIds);
}
