/** Patients: the person behind a patient account and the relatives they book for. */
package org.creneau.patients;
