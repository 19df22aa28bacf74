/** Demo data for a first run: practices in French cities, their agendas, patients and appointments. */
package org.creneau.demo;
