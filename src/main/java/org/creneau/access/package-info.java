/** Access: who the caller is (the sealed Caller), their rights on agendas, and the tenant scope every query runs in. */
@OwnsTables({"agenda_right"})
package org.creneau.access;

import org.creneau.platform.OwnsTables;
