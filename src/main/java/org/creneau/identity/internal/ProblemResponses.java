package org.creneau.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.creneau.platform.ProblemWriter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * 401 and 403 in the same problem format as every other error, written by the one
 * {@link ProblemWriter}; a browser asking for an admin or practice page without a session is sent to the sign-in
 * page instead.
 */
@Component
class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (isStaffPage(path)) {
            response.sendRedirect(request.getContextPath() + "/connexion");
            return;
        }
        ProblemWriter.write(response, path, 401, "Sign in first.");
    }

    private static boolean isStaffPage(String path) {
        return path.equals("/admin")
                || path.startsWith("/admin/")
                || path.equals("/cabinet")
                || path.startsWith("/cabinet/");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        ProblemWriter.write(response, path, 403, "This request is not allowed.");
    }
}
