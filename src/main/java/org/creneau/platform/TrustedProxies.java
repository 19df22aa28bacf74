package org.creneau.platform;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.catalina.valves.RemoteIpValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Whose {@code X-Forwarded-For} is believed: only the proxies named in {@code creneau.trusted-proxies}
 * (addresses or CIDR ranges, e.g. the load balancer's). Empty by default: no forwarded header is
 * trusted and the client address is the connection's, so a client cannot pick its own address for
 * the rate limits and the sign-in throttle. From a trusted proxy, the client is the rightmost
 * forwarded address that is not itself a trusted proxy; {@code X-Forwarded-Proto} is read too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class TrustedProxies {

    private static final Logger log = LoggerFactory.getLogger(TrustedProxies.class);

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> trustedProxiesValve(
            @Value("${creneau.trusted-proxies:}") List<String> proxies) {
        String cidrs = cidrs(proxies);
        return factory -> {
            if (cidrs.isEmpty()) {
                log.info("No trusted proxy: X-Forwarded-For is ignored");
                return;
            }
            RemoteIpValve valve = new RemoteIpValve();
            valve.setInternalProxies(cidrs);
            valve.setTrustedProxies(null);
            valve.setRemoteIpHeader("X-Forwarded-For");
            valve.setProtocolHeader("X-Forwarded-Proto");
            factory.addEngineValves(valve);
            log.info("X-Forwarded-For trusted from {}", cidrs);
        };
    }

    /** Tomcat reads a list as CIDR ranges only when every entry has a mask: a single address gets /32 or /128. */
    static String cidrs(List<String> proxies) {
        return proxies.stream()
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .map(p -> p.contains("/") ? p : p + (p.contains(":") ? "/128" : "/32"))
                .collect(Collectors.joining(","));
    }
}
