package org.creneau.fhir.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where a subscription may send notifications: an https URL whose host resolves only to public
 * addresses, so an app cannot make the platform call its own network (loopback, private, link-local,
 * shared and reserved ranges, cloud metadata at 169.254.169.254). Hosts or addresses listed in
 * {@code creneau.connect.subscriptions.allowed-hosts} are exempt, and only they may use plain http.
 * Checked at creation and again before every delivery, since a name can be pointed elsewhere later.
 */
@Component
class RestHookEndpoints {

    /** Why an endpoint is refused, in words fit for the app. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** An endpoint that passed, with the addresses its host resolved to when it was checked. */
    record Checked(URI uri, List<InetAddress> addresses) {}

    private static final int MAX_LENGTH = 2000;

    private final Set<String> allowedHosts;
    private final Set<InetAddress> allowedAddresses;

    RestHookEndpoints(@Value("${creneau.connect.subscriptions.allowed-hosts:}") List<String> allowed) {
        Set<String> entries = allowed.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.allowedHosts =
                entries.stream().map(RestHookEndpoints::unbracketed).collect(Collectors.toUnmodifiableSet());
        this.allowedAddresses = entries.stream()
                .map(RestHookEndpoints::unbracketed)
                .filter(RestHookEndpoints::isAddressLiteral)
                .map(RestHookEndpoints::literal)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Parses, resolves and checks {@code endpoint}; refused when any address it resolves to is not public. */
    Checked check(String endpoint) throws Refused {
        URI uri = parse(endpoint);
        String host = unbracketed(uri.getHost().toLowerCase(Locale.ROOT));
        if (isAmbiguousIpv4(host)) {
            throw new Refused("the endpoint's address must be written as four decimal numbers (such as 203.0.113.7)");
        }
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            throw new Refused("the endpoint's host does not resolve");
        }
        boolean hostAllowed = allowedHosts.contains(host);
        for (InetAddress address : addresses) {
            if (!hostAllowed && !allowedAddresses.contains(address) && !isPublic(address)) {
                throw new Refused("the endpoint resolves to a loopback, private, link-local or reserved address");
            }
        }
        if ("http".equals(uri.getScheme()) && !hostAllowed && !allowedAddresses.containsAll(addresses)) {
            throw new Refused("the endpoint must use https");
        }
        return new Checked(uri, addresses);
    }

    private static URI parse(String endpoint) throws Refused {
        if (endpoint == null || endpoint.isBlank() || endpoint.length() > MAX_LENGTH) {
            throw new Refused("the endpoint must be an https URL of at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            throw new Refused("the endpoint is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("the endpoint must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            // User information would be sent in clear to whoever answers; a fragment is never sent.
            throw new Refused("the endpoint must name a host, with no user information or fragment");
        }
        return uri;
    }

    /** True for an address on the public internet; false for every range of the brief and the reserved ones. */
    static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            boolean firstTwelveZero = true;
            for (int i = 0; i < 12; i++) {
                firstTwelveZero &= b[i] == 0;
            }
            if (firstTwelveZero) {
                // ::, ::1 and the IPv4-compatible ::a.b.c.d: judged as the IPv4 address they carry.
                return !(address.isAnyLocalAddress() || address.isLoopbackAddress())
                        && isPublicV4(Arrays.copyOfRange(b, 12, 16));
            }
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            boolean uniqueLocal = (first & 0xfe) == 0xfc; // fc00::/7
            boolean linkOrSiteLocal = first == 0xfe && (second & 0x80) == 0x80; // fe80::/10, fec0::/10
            boolean multicast = first == 0xff;
            boolean nat64 = first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            if (nat64) {
                return isPublicV4(Arrays.copyOfRange(b, 12, 16));
            }
            return !uniqueLocal && !linkOrSiteLocal && !multicast;
        }
        return isPublicV4(b);
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 // 0.0.0.0/8, "this network"
                || a0 == 10 // 10/8
                || a0 == 127 // loopback
                || (a0 == 100 && (a1 & 0xc0) == 64) // 100.64/10, shared address space
                || (a0 == 169 && a1 == 254) // link-local, cloud metadata
                || (a0 == 172 && (a1 & 0xf0) == 16) // 172.16/12
                || (a0 == 192 && a1 == 168) // 192.168/16
                || (a0 == 192 && a1 == 0 && a2 == 0) // 192.0.0/24, protocol assignments
                || (a0 == 198 && (a1 & 0xfe) == 18) // 198.18/15, benchmarking
                || a0 >= 224); // multicast, reserved and broadcast
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * A host made of digits, dots and hexadecimal notation that is not four plain decimal numbers:
     * {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 2130706433}. Resolvers disagree on what such a
     * literal means (octal for one, decimal for another), so the address checked need not be the one
     * called. No registered name looks like this: a top-level domain is never all digits.
     */
    static boolean isAmbiguousIpv4(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (!last.matches("[0-9]+|0x[0-9a-f]*")) {
            return false; // a name (its last label is not a number) or an IPv6 literal
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !h.equals(host)) {
            return true;
        }
        for (String part : parts) {
            if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAddressLiteral(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static InetAddress literal(String s) {
        try {
            // A literal: no lookup happens.
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("creneau.connect.subscriptions.allowed-hosts: not an address: " + s);
        }
    }
}
