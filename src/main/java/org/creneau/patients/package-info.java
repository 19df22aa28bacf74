/** Patients: the person behind a patient account and the relatives they book for. */
@OwnsTables({"patient", "org_patient", "patient_history"})
package org.creneau.patients;

import org.creneau.platform.OwnsTables;
