package org.creneau.access;

import org.springframework.security.access.AccessDeniedException;

/** The caller is signed in but may not use this route at all (403). */
public class AccessRefused extends AccessDeniedException {

    public AccessRefused() {
        super("access refused");
    }
}
