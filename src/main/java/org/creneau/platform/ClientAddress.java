package org.creneau.platform;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The part of a client address that limits count by: an IPv4 address whole, an IPv6 address by its
 * /64 (one subscriber usually holds a whole /64, so counting single IPv6 addresses would give one
 * attacker 2^64 buckets). The address is the connection's, or the one a trusted proxy forwarded
 * ({@code creneau.trusted-proxies}).
 */
public final class ClientAddress {

    /** The characters of an IPv6 literal (an IPv4-mapped one included), starting as only a literal can. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("^[0-9A-Fa-f:][0-9A-Fa-f:.]*$");

    private ClientAddress() {}

    /** The bucket key of an address as the request reports it; "unknown" for none. */
    public static String bucketOf(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return "unknown";
        }
        if (remoteAddress.length() > 45) {
            // Longer than any address literal: what a trusted proxy passed on was no address.
            return "invalid";
        }
        if (remoteAddress.indexOf(':') < 0) {
            return remoteAddress;
        }
        if (!IPV6_LITERAL.matcher(remoteAddress).matches()) {
            return "unknown";
        }
        try {
            // Starting with a hex digit or ':' and holding a ':', it is parsed as a literal or refused,
            // never looked up as a name (InetAddress would ask the DNS for anything else).
            InetAddress address = InetAddress.getByName(remoteAddress);
            if (!(address instanceof Inet6Address)) {
                return address.getHostAddress();
            }
            byte[] bytes = address.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                        .append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
