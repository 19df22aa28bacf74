package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.creneau.identity.SignInResult;
import org.creneau.identity.SignInResult.Outcome;
import org.creneau.platform.InvalidInputException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.stereotype.Component;

/**
 * {@link LoginSteps} answered as {@link SignInResult}s for the identity module's public sign-in
 * service: the refusals that the JSON API answers as errors become outcomes a page can show.
 */
@Component
public class PageSignIn {

    private final LoginSteps steps;
    private final SessionSignIn sessions;

    PageSignIn(LoginSteps steps, SessionSignIn sessions) {
        this.steps = steps;
        this.sessions = sessions;
    }

    public SignInResult password(
            String email, String password, HttpServletRequest request, HttpServletResponse response) {
        if (email == null
                || password == null
                || email.isBlank()
                || password.isEmpty()
                || email.length() > 254
                || password.length() > 128) {
            return new SignInResult(Outcome.WRONG_CREDENTIALS, 0);
        }
        try {
            LoginSteps.PasswordAccepted accepted = steps.password(email, password, request, response);
            if (accepted.signedIn() != null) {
                return new SignInResult(Outcome.SIGNED_IN, 0);
            }
            return new SignInResult(
                    accepted.next() == PendingLogin.Step.TOTP_REQUIRED
                            ? Outcome.CODE_REQUIRED
                            : Outcome.ENROLMENT_REQUIRED,
                    0);
        } catch (BadCredentialsException e) {
            return new SignInResult(Outcome.WRONG_CREDENTIALS, 0);
        } catch (LoginThrottled e) {
            return new SignInResult(Outcome.THROTTLED, e.retryAfterSeconds());
        }
    }

    public SignInResult secondFactor(
            String code, String recoveryCode, HttpServletRequest request, HttpServletResponse response) {
        if (!awaitsCode(request)) {
            return new SignInResult(Outcome.NO_PENDING_SIGN_IN, 0);
        }
        try {
            steps.secondFactor(code, recoveryCode, request, response);
            return new SignInResult(Outcome.SIGNED_IN, 0);
        } catch (InvalidInputException e) {
            return new SignInResult(Outcome.MALFORMED_CODE, 0);
        } catch (BadCredentialsException e) {
            return new SignInResult(Outcome.WRONG_CREDENTIALS, 0);
        } catch (LoginThrottled e) {
            return new SignInResult(Outcome.THROTTLED, e.retryAfterSeconds());
        }
    }

    public boolean awaitsCode(HttpServletRequest request) {
        return sessions.pending(request)
                .filter(p -> p.next() == PendingLogin.Step.TOTP_REQUIRED)
                .isPresent();
    }

    public void signOut(HttpServletRequest request) {
        sessions.signOut(request);
    }
}
