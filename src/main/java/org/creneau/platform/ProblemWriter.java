package org.creneau.platform;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * Writes an error where no controller advice runs (the first filter, the firewall, the error page,
 * the container itself): RFC 9457 problem+json, or under {@code /fhir} an OperationOutcome, never
 * a stack trace. At the token endpoint a 400 also carries OAuth2's {@code error} member (RFC 6749,
 * 5.2), so a client library reads it either way.
 */
public final class ProblemWriter {

    private ProblemWriter() {}

    /** True for a path served by the FHIR endpoint, whose errors are OperationOutcomes. */
    public static boolean isFhir(String path) {
        return path != null && (path.equals("/fhir") || path.startsWith("/fhir/"));
    }

    /** Writes the body and status; {@code path} is the path asked for, {@code detail} a fixed sentence of ours. */
    public static void write(HttpServletResponse response, String path, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setHeader("Referrer-Policy", RequestEdge.REFERRER_POLICY);
        response.setCharacterEncoding("UTF-8");
        response.setContentType(isFhir(path) ? "application/fhir+json" : "application/problem+json");
        response.getWriter().write(body(path, status, detail));
        response.flushBuffer();
    }

    static String body(String path, int status, String detail) {
        if (isFhir(path)) {
            String code = status == 404
                    ? "not-found"
                    : status == 413 ? "too-costly" : status >= 500 ? "exception" : "invalid";
            return "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + code
                    + "\",\"diagnostics\":\"" + escape(detail) + "\"}]}";
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String oauth =
                status == 400 && path != null && path.startsWith("/oauth2/") ? ",\"error\":\"invalid_request\"" : "";
        return "{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status + ",\"detail\":\""
                + escape(detail) + "\"" + oauth + "}";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
