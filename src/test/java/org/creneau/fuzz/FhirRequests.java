package org.creneau.fuzz;

import static org.creneau.fuzz.FuzzValues.encode;
import static org.creneau.fuzz.FuzzValues.pick;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * FHIR requests of a connected app holding a real access token: searches with malformed and
 * boundary parameters, reads with bad ids, and bodies that are not the resource they claim to be.
 */
final class FhirRequests {

    private static final List<String> TYPES = List.of(
            "Appointment",
            "Slot",
            "Schedule",
            "Practitioner",
            "PractitionerRole",
            "Location",
            "Organization",
            "HealthcareService",
            "Patient",
            "Subscription");

    private static final List<String> ODD_TYPES = List.of("Foo", "appointment", "Observation", "Bundle", "%00", "..");

    /** Parameters every search may carry, and whether the value is malformed by construction. */
    private record Param(String text, boolean malformed) {}

    /** The ids the app can see, by FHIR type, and what the generator needs to make a valid request. */
    record Known(
            String practitionerId,
            String siteId,
            String organizationId,
            String motiveId,
            String appointmentId,
            String patientId) {

        List<String> ids(String type) {
            return switch (type) {
                case "Practitioner", "Schedule", "PractitionerRole" -> List.of(practitionerId);
                case "Location" -> List.of(siteId);
                case "Organization" -> List.of(organizationId);
                case "HealthcareService" -> List.of(motiveId);
                case "Appointment" -> List.of(appointmentId);
                case "Patient" -> List.of(patientId);
                default -> List.of();
            };
        }
    }

    private FhirRequests() {}

    static FuzzRequest next(String stream, int index, Random random, Known known, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put(
                "Accept",
                pick(
                        random,
                        List.of(
                                "application/fhir+json",
                                "application/fhir+json",
                                "application/json",
                                "*/*",
                                "application/fhir+xml",
                                "text/html")));
        int roll = random.nextInt(100);
        if (roll < 45) {
            return search(stream, index, random, known, headers);
        }
        if (roll < 65) {
            return read(stream, index, random, known, headers);
        }
        if (roll < 87) {
            return write(stream, index, random, known, headers);
        }
        if (roll < 95) {
            return odd(stream, index, random, known, headers);
        }
        headers.remove("Authorization");
        String authorization = pick(
                random,
                List.of(
                        "",
                        "Bearer",
                        "Bearer ",
                        "Bearer garbage",
                        "Bearer " + token + "x",
                        "Bearer " + token.substring(0, token.length() / 2),
                        "Basic Zm9vOmJhcg==",
                        "Bearer " + "a".repeat(5_000),
                        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
                        "bearer " + token));
        if (!authorization.isEmpty()) {
            headers.put("Authorization", authorization);
        }
        FuzzRequest inner = search(stream, index, random, known, headers);
        return new FuzzRequest(
                stream, index, "app-bad-token", inner.method(), inner.template(), inner.target(), headers, null, false);
    }

    private static FuzzRequest search(
            String stream, int index, Random random, Known known, Map<String, String> headers) {
        String type = random.nextInt(15) == 0 ? pick(random, ODD_TYPES) : pick(random, TYPES);
        List<Param> params = new ArrayList<>();
        switch (type) {
            case "Slot" -> {
                if (random.nextInt(5) > 0) {
                    params.add(new Param("schedule=Schedule/" + known.practitionerId(), false));
                }
                if (random.nextInt(5) > 0) {
                    params.add(new Param("start=ge2027-01-04T00:00:00Z&start=lt2027-01-11T00:00:00Z", false));
                }
            }
            case "Appointment" -> {
                if (random.nextBoolean()) {
                    params.add(new Param("date=ge2027-01-04T00:00:00Z&date=lt2027-01-11T00:00:00Z", false));
                }
                if (random.nextBoolean()) {
                    params.add(new Param("actor=Practitioner/" + known.practitionerId(), false));
                }
            }
            default -> {}
        }
        int extra = 1 + random.nextInt(3);
        for (int i = 0; i < extra; i++) {
            params.add(hostileParam(random, known));
        }
        // Malformed only when the parameter at fault is the only one of its name: of two, a server may read either.
        boolean malformed = TYPES.contains(type)
                && params.stream().filter(Param::malformed).anyMatch(p -> occurrences(params, name(p)) == 1);
        String query = String.join("&", params.stream().map(Param::text).toList());
        boolean post = random.nextInt(10) == 0;
        if (post) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            return new FuzzRequest(
                    stream,
                    index,
                    "app",
                    "POST",
                    "search " + type + " (_search)",
                    "/fhir/" + type + "/_search",
                    headers,
                    query.getBytes(StandardCharsets.UTF_8),
                    malformed);
        }
        return new FuzzRequest(
                stream, index, "app", "GET", "search " + type, "/fhir/" + type + "?" + query, headers, null, malformed);
    }

    private static String name(Param param) {
        return param.text().substring(0, Math.max(0, param.text().indexOf('=')));
    }

    private static long occurrences(List<Param> params, String name) {
        return params.stream()
                .flatMap(p -> java.util.Arrays.stream(p.text().split("&")))
                .filter(text -> text.startsWith(name + "="))
                .count();
    }

    private static Param hostileParam(Random random, Known known) {
        return switch (random.nextInt(16)) {
            case 0 -> {
                String count = pick(random, List.of("-5", "-1", "abc", "1.5", "2147483648", "99999999999", "", "0x10"));
                yield new Param("_count=" + encode(count), !count.isEmpty());
            }
            case 1 -> new Param("_count=" + pick(random, List.of("0", "1", "2147483647", "50", "51")), false);
            case 2 -> {
                String date = pick(
                        random,
                        List.of(
                                "garbage",
                                "ge",
                                "2027-13-45",
                                "eq2027-01-05T25:00",
                                "ge2027-01-05T10:00:00+25:00",
                                "xx2027-01-05",
                                "ge2027-01-05T10:00:00.Z"));
                yield new Param("date=" + encode(date), true);
            }
            case 3 -> {
                String date = pick(
                        random,
                        List.of(
                                "ge+999999999",
                                "ge-999999999",
                                "ge999999999",
                                "lt+999999999-12-31",
                                "ge0001-01-01",
                                "ap2027",
                                "ge2027-01-04&date=lt2027-02-22",
                                "ge2027-01-04T00:00:00Z&date=lt2027-01-04T00:00:00Z",
                                "ge2027-01-04&date=lt2029-01-04",
                                "eq2027",
                                "2027-01"));
                yield new Param("date=" + date.replace("+", "%2B"), false);
            }
            case 4 ->
                new Param(
                        "_cursor="
                                + pick(
                                        random,
                                        List.of(
                                                encode(pick(random, FuzzValues.SHORT_HOSTILE_STRINGS)),
                                                FuzzValues.uuid(random).toString(),
                                                known.appointmentId(),
                                                pick(random, FuzzValues.RAW_URL_TOKENS),
                                                "eyJsYXN0IjoiMSJ9")),
                        false);
            case 5 ->
                new Param(
                        "_lastUpdated=" + encode(pick(random, List.of("garbage", "ge+999999999", "gt2027-01-01", ""))),
                        false);
            case 6 ->
                new Param(
                        "actor="
                                + encode(pick(
                                        random,
                                        List.of(
                                                "Patient/xyz",
                                                "garbage",
                                                "Practitioner/" + FuzzValues.uuid(random),
                                                "Practitioner/",
                                                "http://evil.example/Practitioner/1",
                                                "Patient/" + known.patientId(),
                                                "Location/" + known.siteId(),
                                                "Patient/" + known.patientId() + "/_history/1"))),
                        false);
            case 7 ->
                new Param(
                        "status="
                                + encode(pick(random, List.of("garbage", "booked,cancelled", "", "BOOKED", "|booked"))),
                        false);
            case 8 -> new Param("_id=" + FuzzValues.pathSegment(random, known.ids("Practitioner")), false);
            case 9 ->
                new Param(
                        "schedule="
                                + encode(pick(
                                        random,
                                        List.of("Schedule/x", "garbage", "", "Schedule/" + FuzzValues.uuid(random)))),
                        false);
            case 10 -> new Param("start=" + encode(pick(random, FuzzValues.INSTANTS)), false);
            case 11 ->
                new Param(
                        pick(random, List.of("organization", "practitioner"))
                                + "="
                                + encode(pick(
                                        random,
                                        List.of("Organization/x", "x", "Practitioner/" + known.practitionerId(), ""))),
                        false);
            case 12 ->
                new Param(
                        pick(
                                random,
                                List.of(
                                        "foo=bar",
                                        "_has:Patient:link:x=1",
                                        "_include=*",
                                        "_revinclude=*",
                                        "_sort=-date",
                                        "_sort=garbage",
                                        "_summary=garbage",
                                        "_summary=count",
                                        "_elements=id",
                                        "_format=xml",
                                        "_format=garbage",
                                        "_pretty=true",
                                        "_total=accurate",
                                        "_contained=true",
                                        "_text=x",
                                        "_filter=id%20eq%201",
                                        "date:missing=true",
                                        "actor:Patient.name=x",
                                        "_tag=x",
                                        "_offset=-1",
                                        "_getpages=garbage",
                                        "_getpages=" + FuzzValues.uuid(random) + "&_getpagesoffset=-5",
                                        "=",
                                        "&&&",
                                        "date",
                                        "_count")),
                        false);
            case 13 -> new Param(encode(pick(random, FuzzValues.SHORT_HOSTILE_STRINGS)) + "=1", false);
            case 14 -> new Param("date=" + pick(random, FuzzValues.RAW_URL_TOKENS), true);
            default ->
                new Param(
                        "_cursor=" + pick(random, FuzzValues.RAW_URL_TOKENS) + "&_count="
                                + pick(random, List.of("1", "2")),
                        false);
        };
    }

    private static FuzzRequest read(String stream, int index, Random random, Known known, Map<String, String> headers) {
        String type = random.nextInt(10) == 0 ? pick(random, ODD_TYPES) : pick(random, TYPES);
        String id = FuzzValues.pathSegment(random, known.ids(type));
        String suffix =
                pick(random, List.of("", "", "", "", "/_history/1", "/_history/x", "/$everything", "/garbage", "/"));
        String query =
                random.nextInt(5) == 0 ? "?_format=" + pick(random, List.of("xml", "json", "garbage", "%00")) : "";
        return new FuzzRequest(
                stream,
                index,
                "app",
                "GET",
                "read " + type + "/{id}" + (suffix.isEmpty() ? "" : suffix.replaceAll("/[^/]*$", "/..")),
                "/fhir/" + type + "/" + id + suffix + query,
                headers,
                null,
                false);
    }

    private static FuzzRequest write(
            String stream, int index, Random random, Known known, Map<String, String> headers) {
        int kind = random.nextInt(10);
        String method;
        String type;
        String target;
        String template;
        String body;
        if (kind < 4) {
            method = "POST";
            type = "Appointment";
            target = "/fhir/Appointment";
            template = "create Appointment";
            body = appointment(random, known);
        } else if (kind < 6) {
            method = "PUT";
            type = "Appointment";
            String id = FuzzValues.pathSegment(random, known.ids("Appointment"));
            target = "/fhir/Appointment/" + id;
            template = "update Appointment/{id}";
            body = appointment(random, known)
                    .replaceFirst(
                            "\\{",
                            "{\"id\":\"" + (random.nextBoolean() ? known.appointmentId() : FuzzValues.uuid(random))
                                    + "\",");
        } else if (kind < 8) {
            method = "POST";
            type = "Subscription";
            target = "/fhir/Subscription";
            template = "create Subscription";
            body = subscription(random);
        } else {
            method = pick(random, List.of("DELETE", "PATCH", "POST", "PUT", "DELETE"));
            type = pick(random, TYPES);
            boolean withId = !method.equals("POST");
            target = "/fhir/" + (random.nextInt(8) == 0 ? "" : type)
                    + (withId ? "/" + FuzzValues.pathSegment(random, known.ids(type)) : "");
            template = method + " " + type + (withId ? "/{id}" : "");
            body = random.nextBoolean()
                    ? appointment(random, known)
                    : "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Appointment/"
                            + known.appointmentId() + "\"}}]}";
        }
        byte[] bytes = mangle(random, body, type);
        headers.put(
                "Content-Type",
                pick(
                        random,
                        List.of(
                                "application/fhir+json",
                                "application/fhir+json",
                                "application/json",
                                "application/fhir+json; charset=UTF-8",
                                "application/fhir+xml",
                                "text/plain",
                                "application/json-patch+json",
                                "application/x-www-form-urlencoded",
                                "multipart/form-data; boundary=x")));
        return new FuzzRequest(stream, index, "app", method, template, target, headers, bytes, false);
    }

    private static String appointment(Random random, Known known) {
        String start = random.nextInt(3) == 0 ? pick(random, FuzzValues.INSTANTS) : "2027-01-05T08:00:00Z";
        String status = random.nextInt(3) == 0
                ? pick(random, List.of("garbage", "BOOKED", "", "cancelled", "arrived", "proposed"))
                : "booked";
        String patient = random.nextInt(3) == 0
                ? pick(
                        random,
                        List.of(
                                "Patient/xyz",
                                "Patient/" + FuzzValues.uuid(random),
                                "",
                                "Practitioner/" + known.practitionerId()))
                : "Patient/" + known.patientId();
        return "{\"resourceType\":\"Appointment\",\"status\":\"" + escapeJson(status) + "\",\"start\":\""
                + escapeJson(start)
                + "\",\"participant\":["
                + "{\"actor\":{\"reference\":\"Practitioner/" + known.practitionerId() + "\"},\"status\":\"accepted\"},"
                + "{\"actor\":{\"reference\":\"Location/" + known.siteId() + "\"},\"status\":\"accepted\"},"
                + "{\"actor\":{\"reference\":\"" + escapeJson(patient) + "\"},\"status\":\"accepted\"},"
                + "{\"actor\":{\"reference\":\"HealthcareService/" + known.motiveId() + "\"},\"status\":\"accepted\"}],"
                + "\"identifier\":[{\"system\":\"urn:fuzz\",\"value\":\""
                + escapeJson(pick(random, FuzzValues.SHORT_HOSTILE_STRINGS)) + "\"}]}";
    }

    private static String subscription(Random random) {
        String endpoint = pick(
                random,
                List.of(
                        "http://localhost:1/hook",
                        "file:///etc/passwd",
                        "http://169.254.169.254/latest/meta-data/",
                        "http://127.0.0.1:8080/",
                        "http://[::1]/",
                        "gopher://localhost:25/",
                        "not a url",
                        "",
                        "https://" + "a".repeat(300) + ".example/"));
        return "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"fuzz\",\"criteria\":\""
                + escapeJson(pick(
                        random,
                        List.of(
                                "Appointment?",
                                "Appointment?status=booked",
                                "Patient?",
                                "",
                                "garbage",
                                "Appointment?_id=" + "x".repeat(500))))
                + "\",\"channel\":{\"type\":\"" + pick(random, List.of("rest-hook", "email", "websocket", "garbage"))
                + "\",\"endpoint\":\"" + escapeJson(endpoint)
                + "\",\"payload\":\"" + pick(random, List.of("application/fhir+json", "", "text/plain"))
                + "\",\"header\":[\""
                + escapeJson(pick(random, List.of("Authorization: Bearer x", "X: y\r\nInjected: z", ""))) + "\"]}}";
    }

    /** The body as written, or broken: wrong resourceType, cut short, garbage, XML with an external entity. */
    private static byte[] mangle(Random random, String body, String type) {
        String text = switch (random.nextInt(12)) {
            case 0 -> body.replace("\"resourceType\":\"" + type + "\"", "\"resourceType\":\"Patient\"");
            case 1 -> body.replace("\"resourceType\":\"" + type + "\",", "");
            case 2 -> body.substring(0, random.nextInt(body.length()));
            case 3 -> body.replace("\"status\"", "\"status\":1,\"x\"");
            case 4 -> "<Appointment xmlns=\"http://hl7.org/fhir\"><status value=\"booked\"/></Appointment>";
            case 5 ->
                "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<Appointment xmlns=\"http://hl7.org/fhir\"><comment value=\"&x;\"/></Appointment>";
            case 6 ->
                body.replace("}", ",\"extension\":[{\"url\":\"" + "x".repeat(100) + "\",\"valueString\":\"y\"}]}");
            case 7 ->
                body.replace(
                        "\"participant\":[",
                        "\"participant\":[" + "{\"actor\":{\"reference\":\"Patient/x\"}},".repeat(2_000));
            case 8 -> null;
            default -> body;
        };
        return text == null ? JsonBodies.garbage(random) : text.getBytes(StandardCharsets.UTF_8);
    }

    private static FuzzRequest odd(String stream, int index, Random random, Known known, Map<String, String> headers) {
        String target = pick(
                random,
                List.of(
                        "/fhir",
                        "/fhir/",
                        "/fhir/metadata?_format=garbage",
                        "/fhir/metadata?_summary=garbage",
                        "/fhir/$meta",
                        "/fhir/_history",
                        "/fhir/Appointment/_history",
                        "/fhir/Appointment/$validate",
                        "/fhir/Appointment/" + known.appointmentId() + "/$meta",
                        "/fhir/.well-known/smart-configuration?x=%FF",
                        "/fhir//Appointment",
                        "/fhir/Appointment;x=1",
                        "/fhir/Appointment/%2e%2e/Patient",
                        "/fhir/Appointment?_count=%00",
                        "/fhir/Appointment?date=%FF",
                        "/fhir/" + "a".repeat(3_000)));
        String method = pick(random, List.of("GET", "GET", "GET", "POST", "OPTIONS", "TRACK", "PROPFIND", "HEAD"));
        return new FuzzRequest(
                stream,
                index,
                "app",
                method,
                method + " " + target.replaceAll("\\?.*", "?..."),
                target,
                headers,
                null,
                false);
    }

    private static String escapeJson(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
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
