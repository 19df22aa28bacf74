package org.creneau.directory;

/** A medical specialty from the reference list. */
public record Specialty(String code, String label) {}
