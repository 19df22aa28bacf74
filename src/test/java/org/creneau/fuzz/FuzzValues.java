package org.creneau.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The malformed, boundary and hostile values the fuzz test draws from, by kind. Values for a URL
 * come already percent-encoded, so that a deliberate {@code %00} or invalid UTF-8 byte stays as
 * written. No value contains "Exception", "java." or "at org.": those words in an answer mean a
 * stack trace leaked, never an echo of the input.
 */
final class FuzzValues {

    private FuzzValues() {}

    static final String LONG_10K = "a".repeat(10_000);

    /** Strings that have broken parsers, databases and templates before. */
    static final List<String> HOSTILE_STRINGS = List.of(
            "",
            " ",
            "a".repeat(300),
            LONG_10K,
            "é".repeat(3_000),
            "日本語のテキスト",
            "😀".repeat(60),
            "\u202Eevil\u202C",
            "A\u0301\u0302\u0303",
            "\uFEFFbom",
            "\uFFFF\uFFFE",
            "nul\u0000inside",
            "\u0000",
            "ctl\u0001\u0007\u001b[31m\u007f",
            "line\r\nSet-Cookie: x=1",
            "tab\there",
            "' OR '1'='1",
            "'; DROP TABLE appointment;--",
            "\" OR \"\"=\"",
            "1; SELECT pg_sleep(0)",
            "%' AND 1=1 --",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "${7*7}",
            "#{7*7}",
            "{{7*7}}",
            "%s%s%s%n%x",
            "../../../../etc/passwd",
            "..\\..\\windows\\win.ini",
            "\\",
            "%",
            "_",
            "*",
            "null",
            "undefined",
            "true",
            "-1",
            "[]",
            "{}",
            "0x7fffffff",
            "NaN");

    static final List<String> SHORT_HOSTILE_STRINGS =
            HOSTILE_STRINGS.stream().filter(s -> s.length() < 1_000).toList();

    /** Query and path tokens written percent-encoded on purpose: NUL, invalid UTF-8, traversal. */
    static final List<String> RAW_URL_TOKENS = List.of(
            "%00",
            "a%00b",
            "%FF",
            "%C3%28",
            "%C0%AF",
            "%E0%80%80",
            "%ED%A0%80",
            "%F4%90%80%80",
            "%2e%2e",
            "%2F",
            "%5C",
            "%0D%0A",
            "%25",
            "%E2%80%AE",
            "+",
            "%20%20");

    static final List<String> INTEGERS = List.of(
            "-1",
            "0",
            "1",
            "50",
            "51",
            "2147483647",
            "2147483646",
            "2147483648",
            "-2147483648",
            "-2147483649",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999999999999",
            "1e3",
            "1.5",
            "-0",
            "+5",
            "0x10",
            "abc",
            "",
            " 1",
            "١٢",
            "NaN",
            "Infinity");

    static final List<String> NUMBERS = List.of(
            "NaN",
            "Infinity",
            "-Infinity",
            "1e308",
            "1e309",
            "-1e309",
            "4.9e-324",
            "-0",
            "0",
            "90",
            "91",
            "-91",
            "180",
            "181",
            "-181",
            "48.85",
            "1,5",
            "0x1p3",
            "1d",
            "abc",
            "",
            "99999999999999999999999999");

    /** Instants at the edges of what java.time and PostgreSQL accept, and malformed ones. */
    static final List<String> INSTANTS = List.of(
            "+999999999-12-31T00:00:00Z",
            "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "4714-11-24T00:00:00Z",
            "294277-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2027-13-45T25:61:00Z",
            "2027-02-29T10:00:00Z",
            "2027-01-05",
            "2027-01-05T09:00:00",
            "2027-01-05T09:00:00+25:00",
            "2027-01-05T09:00:00+14:00",
            "2027-01-05T09:00:00-12:00",
            "2027-01-05T09:00:00.123456789Z",
            "2027-01-05T09:00:00[Europe/Paris]",
            "2027-01-05T09:00:00+01:00[Mars/Olympus]",
            "2027-W01-2",
            "now",
            "",
            "1799999999",
            "-1",
            "+999999999-12-31",
            "-999999999-01-01");

    static final List<String> DATES = List.of(
            "1985-04-12",
            "+999999999-12-31",
            "-999999999-01-01",
            "0000-00-00",
            "0000-01-01",
            "2026-02-30",
            "1900-01-01",
            "2999-01-01",
            "1700-01-01",
            "85-04-12",
            "12/04/1985",
            "1985-04-12T00:00:00Z",
            "",
            "abc");

    static final List<String> TIMES_OF_DAY =
            List.of("09:00", "12:00", "24:00", "23:59:59.999999999", "-01:00", "9h", "25:00", "", "00:00", "12:00:60");

    static final List<String> ZONES =
            List.of("Europe/Paris", "UTC", "Z", "+25:00", "Mars/Olympus", "", "../../etc/localtime", "GMT+99");

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A random UUID drawn from {@code random}, so that a run repeats with its seed. */
    static UUID uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong());
    }

    /** A path segment where an identifier is expected: known ids, unknown ones, and anything but. */
    static String pathSegment(Random random, List<String> known) {
        int roll = random.nextInt(20);
        if (roll < 5 && !known.isEmpty()) {
            return pick(random, known);
        }
        return switch (roll) {
            case 5, 6 -> uuid(random).toString();
            case 7 -> uuid(random).toString().toUpperCase(java.util.Locale.ROOT);
            case 8 -> uuid(random).toString().replace("-", "");
            case 9 ->
                pick(random, List.of("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"));
            case 10 -> encode("{" + uuid(random) + "}");
            case 11 -> pick(random, RAW_URL_TOKENS);
            case 12 -> "";
            case 13 -> pick(random, List.of("..", ".", "%2e", "..%2F..%2Fadmin", ";", "a;b=c", "x;jsessionid=1"));
            case 14 -> "a".repeat(pick(random, List.of(37, 300, 2_000, 6_000)));
            case 15 -> pick(random, List.of("0", "1", "-1", "2147483648", "null", "true", "me"));
            default -> encode(pick(random, SHORT_HOSTILE_STRINGS));
        };
    }

    /** A query value for a parameter of the given OpenAPI type and format, encoded. */
    static String queryValue(Random random, String name, String type, String format) {
        if (random.nextInt(8) == 0) {
            return pick(random, RAW_URL_TOKENS);
        }
        if (random.nextInt(10) == 0) {
            return encode(pick(random, HOSTILE_STRINGS));
        }
        if ("integer".equals(type)) {
            return encode(pick(random, INTEGERS));
        }
        if ("number".equals(type)) {
            return encode(pick(random, NUMBERS));
        }
        if ("uuid".equals(format)) {
            return pathSegment(random, List.of());
        }
        if ("date".equals(format) || name.endsWith("Date")) {
            return encode(pick(random, DATES));
        }
        if ("date-time".equals(format) || name.equals("from") || name.equals("to") || name.equals("start")) {
            return encode(pick(random, INSTANTS));
        }
        return encode(pick(random, HOSTILE_STRINGS));
    }

    /** Random bytes, which need not be UTF-8 nor JSON. */
    static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
