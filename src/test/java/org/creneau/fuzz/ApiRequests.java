package org.creneau.fuzz;

import static org.creneau.fuzz.FuzzValues.encode;
import static org.creneau.fuzz.FuzzValues.pick;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.creneau.fuzz.OpenApiOperations.Operation;
import org.creneau.fuzz.OpenApiOperations.Parameter;

/**
 * Requests for one operation of the JSON API, as one actor: mostly what the operation expects
 * with one to three things broken (a path id, a query value, the body, a header), sometimes
 * another method or a mangled path.
 */
final class ApiRequests {

    /** Values that can never be read as the 32-bit integer a parameter of type integer is. */
    private static final Set<String> NOT_AN_INT = Set.of(
            "2147483648",
            "-2147483649",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999999999999",
            "1e3",
            "1.5",
            "abc",
            "NaN",
            "Infinity");

    private static final Set<String> NOT_A_TIME =
            Set.of("2027-13-45T25:61:00Z", "2027-02-29T10:00:00Z", "now", "2027-W01-2", "2027-01-05T09:00:00+25:00");

    private final JsonBodies bodies;

    ApiRequests(JsonBodies bodies) {
        this.bodies = bodies;
    }

    /** Who sends the request and what they hold: session and CSRF cookies, and ids that exist for them. */
    record Actor(String name, String session, String csrf, Map<String, List<String>> known, String address) {}

    FuzzRequest next(String stream, int index, Random random, Operation operation, Actor actor) {
        boolean malformed = false;
        String method = operation.method();
        if (random.nextInt(14) == 0) {
            method = pick(
                    random,
                    List.of("PATCH", "PUT", "DELETE", "OPTIONS", "HEAD", "TRACK", "PROPFIND", "FOO", "GET", "POST"));
        }
        String path = operation.template();
        for (Parameter p : operation.in("path")) {
            List<String> known = known(actor, p.name());
            String value = !known.isEmpty() && random.nextBoolean()
                    ? pick(random, known)
                    : FuzzValues.pathSegment(random, known);
            path = path.replace("{" + p.name() + "}", value);
        }
        if (random.nextInt(25) == 0) {
            path = mangle(random, path);
        }
        List<String> query = new ArrayList<>();
        for (Parameter p : operation.in("query")) {
            if (random.nextInt(100) < (p.required() ? 88 : 50)) {
                String value;
                if (random.nextInt(100) < 55) {
                    value = validQueryValue(random, p, actor);
                } else {
                    value = FuzzValues.queryValue(random, p.name(), p.type(), p.format());
                    String decoded = java.net.URLDecoder.decode(
                            value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
                    malformed |= "integer".equals(p.type()) && NOT_AN_INT.contains(decoded)
                            || p.name().equals("from") && NOT_A_TIME.contains(decoded);
                }
                query.add(encode(p.name()) + "=" + value);
                if (random.nextInt(20) == 0) {
                    query.add(encode(p.name()) + "=" + FuzzValues.queryValue(random, p.name(), p.type(), p.format()));
                }
            }
        }
        if (random.nextInt(20) == 0) {
            query.add(pick(
                    random,
                    List.of(
                            "unknown=1",
                            "page",
                            "=",
                            "&",
                            "size[]=1",
                            encode("a".repeat(200)) + "=b",
                            "%00=%00",
                            "%FF=1")));
        }
        String target = path + (query.isEmpty() ? "" : "?" + String.join("&", query));

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "X-Forwarded-For",
                random.nextInt(40) == 0
                        ? pick(random, List.of("garbage", "1.1.1.1, 2.2.2.2", "999.1.1.1", "::1", ""))
                        : actor.address());
        headers.put(
                "Accept",
                random.nextInt(12) == 0
                        ? pick(
                                random,
                                List.of(
                                        "application/xml",
                                        "text/html",
                                        "image/png",
                                        "garbage",
                                        "*/*",
                                        "application/problem+json"))
                        : "application/json");
        String cookies = actor.session() == null ? "" : "SESSION=" + actor.session();
        if (actor.csrf() != null) {
            cookies += (cookies.isEmpty() ? "" : "; ") + "XSRF-TOKEN=" + actor.csrf();
            int csrf = random.nextInt(40);
            if (csrf > 1) {
                headers.put("X-XSRF-TOKEN", actor.csrf());
            } else if (csrf == 1) {
                headers.put("X-XSRF-TOKEN", "wrong-" + actor.csrf());
            }
        }
        if (!cookies.isEmpty()) {
            headers.put("Cookie", cookies);
        }
        if (random.nextInt(25) == 0) {
            headers.put(
                    "X-Organization-Id",
                    pick(random, List.of("garbage", FuzzValues.uuid(random).toString(), "", "%00")));
        }
        byte[] body = null;
        if (operation.bodySchema() != null && random.nextInt(20) > 0) {
            body = bodies.body(random, operation.bodySchema(), actor.known());
        } else if (random.nextInt(12) == 0) {
            body = JsonBodies.garbage(random);
        }
        if (body != null) {
            headers.put(
                    "Content-Type",
                    random.nextInt(10) > 0
                            ? "application/json"
                            : pick(
                                    random,
                                    List.of(
                                            "text/plain",
                                            "application/xml",
                                            "application/json; charset=UTF-16",
                                            "application/json; charset=bogus",
                                            "application/x-www-form-urlencoded",
                                            "multipart/form-data; boundary=x",
                                            "multipart/form-data",
                                            "a/b/c",
                                            "*/*")));
        }
        boolean refuse = malformed && method.equals(operation.method());
        return new FuzzRequest(
                stream, index, actor.name(), method, operation.template(), target, headers, body, refuse);
    }

    private static List<String> known(Actor actor, String name) {
        List<String> values = actor.known().get(name);
        if (values != null) {
            return values;
        }
        return actor.known().getOrDefault("id", List.of());
    }

    private static String validQueryValue(Random random, Parameter p, Actor actor) {
        List<String> known = actor.known().get(p.name());
        if (known != null && !known.isEmpty()) {
            return encode(pick(random, known));
        }
        return encode(
                switch (p.name()) {
                    case "page" -> pick(random, List.of("0", "1"));
                    case "size" -> pick(random, List.of("1", "20", "50"));
                    case "from" -> pick(random, List.of("2027-01-04T00:00:00Z", "2027-01-04"));
                    case "to" -> pick(random, List.of("2027-01-11T00:00:00Z", "2027-01-11"));
                    case "city" -> "Testville";
                    case "lat" -> "48.85";
                    case "lon" -> "2.35";
                    case "radiusKm" -> "10";
                    case "name" -> "Testeuse";
                    case "phone" -> "+33612345678";
                    case "birthDate" -> "1985-04-12";
                    default ->
                        "uuid".equals(p.format()) ? FuzzValues.uuid(random).toString() : "x";
                });
    }

    /** The same path, written the way a proxy, a browser or an attacker might. */
    private static String mangle(Random random, String path) {
        return switch (random.nextInt(8)) {
            case 0 -> path + "/";
            case 1 -> "/" + path;
            case 2 -> path.replaceFirst("/v1/", "/v1//");
            case 3 -> path.replaceFirst("/v1/", "/v1/;x=1/");
            case 4 -> path + ";jsessionid=1";
            case 5 -> path.toUpperCase(java.util.Locale.ROOT);
            case 6 -> path.replaceFirst("/v1/", "/v1/./");
            default -> path.replaceFirst("/api/", "/api/v1/../");
        };
    }
}
