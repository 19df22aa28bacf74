package org.creneau.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.creneau.identity.internal.PageSignIn;
import org.springframework.stereotype.Service;

/**
 * Sign-in for the patients' pages, on the same two steps (password, then the second factor when
 * the account has one) as the JSON API and the staff pages: one flow, several surfaces.
 */
@Service
public class PatientSignIn {

    private final PageSignIn steps;

    PatientSignIn(PageSignIn steps) {
        this.steps = steps;
    }

    /** The password step; a right password signs in, or asks for the second factor. */
    public SignInResult password(
            String email, String password, HttpServletRequest request, HttpServletResponse response) {
        return steps.password(email, password, request, response);
    }

    /** The second step of a sign-in that answered {@code CODE_REQUIRED}: exactly one of the two codes. */
    public SignInResult secondFactor(
            String code, String recoveryCode, HttpServletRequest request, HttpServletResponse response) {
        return steps.secondFactor(code, recoveryCode, request, response);
    }

    /** Whether this session gave a right password and now owes its second factor. */
    public boolean awaitsCode(HttpServletRequest request) {
        return steps.awaitsCode(request);
    }

    /** Ends the session's sign-in. */
    public void signOut(HttpServletRequest request) {
        steps.signOut(request);
    }
}
