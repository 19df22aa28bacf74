package org.creneau.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One generated request, exactly as sent: enough to write it again as a regression test.
 *
 * @param template the path template of the operation it exercises (or the FHIR interaction)
 * @param target the path and query, percent-encoded as sent
 * @param mustRefuse true when the input is malformed by construction, so any 2xx is wrong too
 */
record FuzzRequest(
        String stream,
        int index,
        String actor,
        String method,
        String template,
        String target,
        Map<String, String> headers,
        byte[] body,
        boolean mustRefuse) {

    /** The request written out: method, target, headers and the start of the body, escaped. */
    String describe() {
        StringBuilder text = new StringBuilder();
        text.append(method).append(' ').append(abbreviate(target, 600)).append('\n');
        headers.forEach((name, value) -> text.append("  ")
                .append(name)
                .append(": ")
                .append(abbreviate(value, 200))
                .append('\n'));
        if (body != null && body.length > 0) {
            text.append("  body (")
                    .append(body.length)
                    .append(" bytes): ")
                    .append(escape(body, 600))
                    .append('\n');
        }
        return text.toString();
    }

    private static String abbreviate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "...(" + value.length() + " chars)";
    }

    /** The body as Java string escapes, so that control characters and invalid bytes stay visible. */
    private static String escape(byte[] body, int max) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body));
        } catch (java.nio.charset.CharacterCodingException e) {
            byte[] start = java.util.Arrays.copyOf(body, Math.min(body.length, max));
            return "base64 " + java.util.Base64.getEncoder().encodeToString(start) + (body.length > max ? "..." : "");
        }
        String text = new String(body, 0, Math.min(body.length, max * 4), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return "\"" + out + (body.length > max ? "\"..." : "\"");
    }
}
