/**
 * What every module stands on: the database, the clock, the one error format and the one way
 * to page. Open to all modules.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
@OwnsTables({"event_publication"})
package org.creneau.platform;
