package org.creneau.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.creneau.support.ApiClient;
import org.creneau.support.IntegrationTest;
import org.creneau.support.MutableClock;
import org.creneau.support.TestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * X-Forwarded-For is believed only from the proxies named in {@code creneau.trusted-proxies} (the
 * tests name this machine's 127.0.0.1, standing for the load balancer): from any other peer the
 * client address is the connection's, whatever the header says. IPv6 clients count per /64.
 */
@IntegrationTest
class TrustedProxiesTests {

    /** Another address of this machine's loopback, which is not a trusted proxy. */
    static final String UNTRUSTED_PEER = "127.0.0.2";

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    @Qualifier("ownerDataSource")
    DataSource owner;

    JdbcTemplate db;

    @BeforeEach
    void setUp() {
        clock.set(TestConfiguration.MONDAY_MORNING);
        db = new JdbcTemplate(owner);
    }

    Long tat(String key) {
        return db.query("SELECT tat FROM guard_rate WHERE key = ?", rs -> rs.next() ? rs.getLong(1) : null, key);
    }

    /** A GET sent from the untrusted peer's address, by hand: the status code. */
    int fromUntrustedPeer(String path, String forwardedFor) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(UNTRUSTED_PEER, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forwardedFor
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aForgedForwardedForFromAnUntrustedPeerDoesNotChangeItsBucket() throws IOException {
        assertThat(fromUntrustedPeer("/api/v1/specialties", "198.51.100.1")).isEqualTo(200);
        Long before = tat("address:" + UNTRUSTED_PEER);
        assertThat(before).isNotNull();

        for (int i = 2; i <= 6; i++) {
            assertThat(fromUntrustedPeer("/api/v1/specialties", "198.51.100." + i))
                    .isEqualTo(200);
        }

        assertThat(tat("address:" + UNTRUSTED_PEER))
                .as("every request counted in the peer's own bucket")
                .isGreaterThan(before);
        for (int i = 1; i <= 6; i++) {
            assertThat(tat("address:198.51.100." + i))
                    .as("no bucket for a forged address")
                    .isNull();
        }
    }

    @Test
    void theTrustedProxysForwardedAddressIsTheClients() {
        assertThat(new ApiClient(port)
                        .from("198.51.100.77")
                        .get("/api/v1/specialties")
                        .status())
                .isEqualTo(200);
        assertThat(tat("address:198.51.100.77")).isNotNull();
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        Long before = tat("address:2001:db8:5:6::/64");
        new ApiClient(port).from("2001:db8:5:6::1").get("/api/v1/specialties");
        Long first = tat("address:2001:db8:5:6::/64");
        new ApiClient(port).from("2001:db8:5:6:ffff:1:2:3").get("/api/v1/specialties");

        assertThat(first).isNotNull().isNotEqualTo(before);
        assertThat(tat("address:2001:db8:5:6::/64")).as("the same bucket").isGreaterThan(first);
        assertThat(tat("address:2001:db8:5:6::1")).isNull();
    }
}
