/** Patients: the person behind a patient account and the relatives they book for. */
@OwnsTables({"patient", "org_patient"})
package org.creneau.patients;

import org.creneau.platform.OwnsTables;
