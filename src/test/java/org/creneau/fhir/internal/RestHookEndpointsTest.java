package org.creneau.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Subscription endpoints never reach the platform's own network: every private, loopback,
 * link-local and reserved range is refused, only the allow-list opens one, and only it allows http.
 * Address literals only, so no test depends on DNS.
 */
class RestHookEndpointsTest {

    final RestHookEndpoints none = new RestHookEndpoints(List.of());

    @Test
    void privateLoopbackLinkLocalAndReservedAddressesAreNotPublic() throws Exception {
        for (String address : List.of(
                "127.0.0.1",
                "127.255.0.9",
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.127.255.254",
                "0.0.0.0",
                "192.0.0.8",
                "198.18.0.1",
                "224.0.0.1",
                "255.255.255.255",
                "::",
                "::1",
                "fc00::1",
                "fd12:3456::1",
                "fe80::1",
                "fec0::1",
                "ff02::1",
                "::ffff:10.0.0.1",
                "::10.0.0.1",
                "64:ff9b::a9fe:a9fe")) {
            assertThat(RestHookEndpoints.isPublic(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
        }
        for (String address :
                List.of("93.184.215.14", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2001:db8::1", "64:ff9b::808:808")) {
            assertThat(RestHookEndpoints.isPublic(InetAddress.getByName(address)))
                    .as(address)
                    .isTrue();
        }
    }

    @Test
    void aPublicHttpsEndpointPassesAndPlainHttpOrCredentialsAreRefused() throws Exception {
        assertThat(none.check("https://93.184.215.14/hook").addresses())
                .containsExactly(InetAddress.getByName("93.184.215.14"));
        assertThatThrownBy(() -> none.check("http://93.184.215.14/hook"))
                .isInstanceOf(RestHookEndpoints.Refused.class)
                .hasMessageContaining("https");
        assertThatThrownBy(() -> none.check("https://user:pw@93.184.215.14/hook"))
                .isInstanceOf(RestHookEndpoints.Refused.class);
        assertThatThrownBy(() -> none.check("ftp://93.184.215.14/hook")).isInstanceOf(RestHookEndpoints.Refused.class);
        assertThatThrownBy(() -> none.check("https://10.0.0.1/hook"))
                .isInstanceOf(RestHookEndpoints.Refused.class)
                .hasMessageContaining("private");
    }

    @Test
    void anAddressWrittenAmbiguouslyIsRefusedBeforeAnyLookup() throws Exception {
        for (String host : List.of(
                "0177.0.0.1", "0x7f.0.0.1", "2130706433", "127.1", "127.0.0.01", "10.0.0.256", "93.184.215.14.")) {
            assertThatThrownBy(() -> none.check("https://" + host + "/hook"))
                    .as(host)
                    .isInstanceOf(RestHookEndpoints.Refused.class);
            assertThat(RestHookEndpoints.isAmbiguousIpv4(host)).as(host).isTrue();
        }
        assertThatThrownBy(() -> none.check("https://0177.0.0.1/hook")).hasMessageContaining("four decimal numbers");
        assertThat(RestHookEndpoints.isAmbiguousIpv4("93.184.215.14")).isFalse();
        assertThat(RestHookEndpoints.isAmbiguousIpv4("hooks.example.com")).isFalse();
        assertThat(RestHookEndpoints.isAmbiguousIpv4("::1")).isFalse();
        assertThat(none.check("https://93.184.215.14/hook").addresses()).hasSize(1);
    }

    @Test
    void theAllowListOpensTheAddressesAndHostsItNamesAndOnlyThose() throws Exception {
        RestHookEndpoints allowing = new RestHookEndpoints(List.of(" 10.0.0.7 ", "[::1]", "localhost"));

        assertThat(allowing.check("http://10.0.0.7:8080/hook").addresses()).hasSize(1);
        assertThat(allowing.check("https://[::1]/hook").addresses()).hasSize(1);
        assertThat(allowing.check("http://localhost:9000/hook").addresses()).isNotEmpty();
        assertThatThrownBy(() -> allowing.check("https://10.0.0.8/hook")).isInstanceOf(RestHookEndpoints.Refused.class);
        assertThatThrownBy(() -> allowing.check("https://127.0.0.1/hook"))
                .isInstanceOf(RestHookEndpoints.Refused.class);
    }
}
