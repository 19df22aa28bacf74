package org.creneau.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client addresses as limits count them: IPv4 whole, IPv6 by its /64, whatever its spelling. */
class ClientAddressTest {

    @Test
    void anIpv4AddressIsItsOwnBucket() {
        assertThat(ClientAddress.bucketOf("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void everyAddressOfAnIpv6Slash64SharesOneBucketHoweverWritten() {
        assertThat(ClientAddress.bucketOf("2001:db8:1:2::5")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.bucketOf("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.bucketOf("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddress.bucketOf("2001:db8:1:3::5")).isNotEqualTo(ClientAddress.bucketOf("2001:db8:1:2::5"));
    }

    @Test
    void whatIsNoAddressGetsABoundedKey() {
        assertThat(ClientAddress.bucketOf(null)).isEqualTo("unknown");
        assertThat(ClientAddress.bucketOf("x".repeat(300))).isEqualTo("invalid");
        assertThat(ClientAddress.bucketOf("not:an:address:at:all")).isEqualTo("unknown");
    }
}
