package org.creneau.directory;

import java.util.UUID;
import org.creneau.directory.DirectoryAdministration.OrganizationKind;

/** A practice, health centre or hospital: the tenant every agenda, site and motive belongs to. */
public record Organization(UUID id, String name, OrganizationKind kind) {}
