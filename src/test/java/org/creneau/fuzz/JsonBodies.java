package org.creneau.fuzz;

import static org.creneau.fuzz.FuzzValues.pick;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.creneau.apps.SmartScope;
import org.creneau.support.Fixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON bodies derived from a request schema: first a body the API would accept (with the ids the
 * actor really has), then broken on purpose: fields dropped, wrong types, nulls, hostile strings,
 * boundary numbers and times, extra fields, deep nesting; or not JSON at all.
 */
final class JsonBodies {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Stands for a JSON string written with raw escapes Jackson would not produce. */
    private static final String RAW = "@@raw@@";

    private static final List<String> RAW_ESCAPES = List.of(
            "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\uFFFF\"", "\"\\/\\b\\f\"");

    private final OpenApiOperations api;

    JsonBodies(OpenApiOperations api) {
        this.api = api;
    }

    /** A body for {@code schema}: valid for the actor's ids, then broken in one to three places, or garbage. */
    byte[] body(Random random, JsonNode schema, Map<String, List<String>> known) {
        int roll = random.nextInt(100);
        if (roll < 12) {
            return garbage(random);
        }
        JsonNode valid = valid(random, "body", schema, known, 0);
        if (roll < 20) {
            return write(valid, random);
        }
        JsonNode broken = valid.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            broken = mutate(random, broken, schema, known);
        }
        return write(broken, random);
    }

    /** A value the API should accept for a property named {@code name}. */
    JsonNode valid(Random random, String name, JsonNode schema, Map<String, List<String>> known, int depth) {
        JsonNode s = api.resolve(schema);
        String type = s.path("type").asString("object");
        String format = s.path("format").asString("");
        if (!s.path("enum").isMissingNode()) {
            List<JsonNode> values = new ArrayList<>(s.path("enum").values());
            return values.get(random.nextInt(values.size()));
        }
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                if (name.equals("jwks")) {
                    object.putArray("keys");
                    return object;
                }
                List<String> required = new ArrayList<>();
                s.path("required").values().forEach(r -> required.add(r.asString()));
                for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
                    if (depth < 4 && (required.contains(p.getKey()) || random.nextInt(3) > 0)) {
                        object.set(p.getKey(), valid(random, p.getKey(), p.getValue(), known, depth + 1));
                    }
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                String item = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
                if (name.equals("scopes")) {
                    array.add(pick(random, SmartScope.ALL));
                    return array;
                }
                int count = 1 + random.nextInt(2);
                for (int i = 0; i < count; i++) {
                    array.add(valid(random, item, s.path("items"), known, depth + 1));
                }
                return array;
            }
            case "integer" -> {
                int min = s.path("minimum").asInt(1);
                int max = s.path("maximum").asInt(Math.max(min, 100));
                return NODES.numberNode(min + random.nextInt(max - min + 1));
            }
            case "number" -> {
                return NODES.numberNode(1.5);
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.stringNode(validString(random, name, format, known));
            }
        }
    }

    private static String validString(Random random, String name, String format, Map<String, List<String>> known) {
        List<String> ids = known.get(name);
        if (ids != null && !ids.isEmpty()) {
            return pick(random, ids);
        }
        if (format.equals("uuid")) {
            return FuzzValues.uuid(random).toString();
        }
        if (format.equals("date-time")) {
            return "2027-01-12T09:00:00Z";
        }
        if (format.equals("date")) {
            return switch (name) {
                case "validFrom" -> "2027-01-01";
                case "validUntil" -> "2027-12-31";
                default -> "1985-04-12";
            };
        }
        return switch (name) {
            case "email", "contact" -> "fuzz-" + Long.toHexString(random.nextLong()) + "@test.creneau.fr";
            case "password" -> Fixtures.PASSWORD;
            case "phone" -> "+33 6 12 34 56 78";
            case "start", "allowedFrom" -> "13:00";
            case "end", "allowedTo" -> "17:00";
            case "timeZone" -> "Europe/Paris";
            case "code" -> String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
            case "recoveryCode" -> "abcd-efgh-jkmn-pqrs";
            case "jwksUrl" -> "https://editeur.example/jwks.json";
            default -> "Fuzz " + random.nextInt(1000);
        };
    }

    /** One change that makes the body wrong in some way, or merely strange. */
    private JsonNode mutate(Random random, JsonNode body, JsonNode schema, Map<String, List<String>> known) {
        if (!(body instanceof ObjectNode object) || object.isEmpty() || random.nextInt(12) == 0) {
            return wholeBody(random, body);
        }
        List<String> fields = new ArrayList<>(object.propertyNames());
        String field = pick(random, fields);
        JsonNode fieldSchema =
                api.resolve(api.resolve(schema).path("properties").path(field));
        String format = fieldSchema.path("format").asString("");
        switch (random.nextInt(14)) {
            case 0 -> object.put(field, pick(random, FuzzValues.HOSTILE_STRINGS));
            case 1 -> object.set(field, boundaryNumber(random));
            case 2 -> object.set(field, wrongType(random));
            case 3 -> object.remove(field);
            case 4 -> object.putNull(field);
            case 5 ->
                object.set(
                        pick(
                                random,
                                List.of(
                                        "extra",
                                        "__proto__",
                                        "constructor",
                                        "id",
                                        "accountId",
                                        "organizationId",
                                        "status",
                                        "role",
                                        "kind",
                                        "@type",
                                        "$where",
                                        "",
                                        "a".repeat(1_000))),
                        wrongType(random));
            case 6 -> object.set(field, nested(random, 20 + random.nextInt(300)));
            case 7 ->
                object.put(
                        field,
                        switch (format) {
                            case "date" -> pick(random, FuzzValues.DATES);
                            case "date-time" -> pick(random, FuzzValues.INSTANTS);
                            default ->
                                pick(
                                        random,
                                        List.of(
                                                pick(random, FuzzValues.INSTANTS),
                                                pick(random, FuzzValues.DATES),
                                                pick(random, FuzzValues.TIMES_OF_DAY),
                                                pick(random, FuzzValues.ZONES)));
                        });
            case 8 -> {
                JsonNode value = object.get(field);
                String text = value.isString() ? value.asString() : "MONDAY";
                object.put(
                        field,
                        pick(random, List.of(text.toLowerCase(Locale.ROOT), text + "X", "UNKNOWN", " " + text, "0")));
            }
            case 9 -> {
                List<String> anyIds =
                        known.values().stream().flatMap(List::stream).toList();
                object.put(
                        field,
                        pick(
                                random,
                                List.of(
                                        FuzzValues.uuid(random).toString(),
                                        anyIds.isEmpty() ? "x" : anyIds.get(random.nextInt(anyIds.size())),
                                        "not-a-uuid",
                                        "00000000-0000-0000-0000-000000000000",
                                        FuzzValues.uuid(random).toString() + "0")));
            }
            case 10 -> {
                ArrayNode array = NODES.arrayNode();
                int size = pick(random, List.of(0, 51, 1_000, 5_000));
                for (int i = 0; i < size; i++) {
                    array.add(FuzzValues.uuid(random).toString());
                }
                object.set(field, array);
            }
            case 11 -> object.put(field, "x".repeat(pick(random, List.of(129, 255, 501, 2_001, 100_000))));
            case 12 -> object.put(field, RAW + random.nextInt(RAW_ESCAPES.size()));
            default ->
                object.set(
                        field,
                        pick(
                                random,
                                List.of(
                                        NODES.stringNode("5"),
                                        NODES.numberNode(5),
                                        NODES.booleanNode(true),
                                        NODES.stringNode("true"),
                                        NODES.numberNode(1))));
        }
        return object;
    }

    private static JsonNode wholeBody(Random random, JsonNode body) {
        return switch (random.nextInt(5)) {
            case 0 -> NODES.arrayNode().add(body);
            case 1 -> NODES.nullNode();
            case 2 -> NODES.objectNode();
            case 3 -> nested(random, 300 + random.nextInt(190));
            default -> wrongType(random);
        };
    }

    private static JsonNode boundaryNumber(Random random) {
        String text = pick(
                random,
                List.of(
                        "-1",
                        "0",
                        "2147483647",
                        "2147483648",
                        "-2147483649",
                        "9223372036854775808",
                        "1e400",
                        "1.5",
                        "-0.0",
                        "4.9e-324"));
        if (text.contains("e") || text.contains(".")) {
            return NODES.numberNode(new BigDecimal(text));
        }
        return NODES.numberNode(new BigInteger(text));
    }

    private static JsonNode wrongType(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.numberNode(0);
            case 1 -> NODES.numberNode(-1);
            case 2 -> NODES.booleanNode(true);
            case 3 -> NODES.stringNode("x");
            case 4 -> NODES.arrayNode();
            case 5 -> NODES.objectNode();
            case 6 -> NODES.arrayNode().add(1).add("two").addNull();
            case 7 -> NODES.objectNode().put("a", 1).set("b", NODES.objectNode().put("c", "d"));
            default -> NODES.nullNode();
        };
    }

    private static JsonNode nested(Random random, int depth) {
        JsonNode node = NODES.stringNode("bottom");
        for (int i = 0; i < depth; i++) {
            node = random.nextBoolean()
                    ? NODES.arrayNode().add(node)
                    : NODES.objectNode().set("a", node);
        }
        return node;
    }

    private static byte[] write(JsonNode body, Random random) {
        String text = JSON.writeValueAsString(body);
        for (int i = 0; i < RAW_ESCAPES.size(); i++) {
            text = text.replace("\"" + RAW + i + "\"", RAW_ESCAPES.get(i));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Bodies that are not what the schema says, or not JSON, or not even text. */
    static byte[] garbage(Random random) {
        String text = switch (random.nextInt(22)) {
            case 0 -> "";
            case 1 -> "null";
            case 2 -> "[]";
            case 3 -> "\"x\"";
            case 4 -> "1";
            case 5 -> "{";
            case 6 -> "{\"a\":}";
            case 7 -> "{\"email\":\"a\",\"email\":\"b\",\"password\":1}";
            case 8 -> "{'single':'quotes'}";
            case 9 -> "{/* comment */ \"a\": 1,}";
            case 10 -> "{\"n\": NaN, \"m\": -Infinity}";
            case 11 -> "\uFEFF{}";
            case 12 -> "[".repeat(5_000 + random.nextInt(50_000));
            case 13 -> "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
            case 14 -> "{\"n\": " + "9".repeat(2_000) + "}";
            case 15 -> "{\"n\": 1" + "0".repeat(400) + "e99999999}";
            case 16 -> "{\"s\": \"" + "x".repeat(1_000_000) + "\"}";
            case 17 -> "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
            case 18 -> "email=a&password=b";
            case 19 -> "{\"a\": \"\\uZZZZ\"}";
            default -> null;
        };
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return switch (random.nextInt(3)) {
            case 0 -> FuzzValues.bytes(random, 1 + random.nextInt(2_000));
            case 1 -> "{\"s\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_16);
            default -> {
                byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xC3, (byte) 0x28, '"', '}'};
                yield invalid;
            }
        };
    }
}
