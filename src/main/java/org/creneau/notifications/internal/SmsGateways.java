package org.creneau.notifications.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.creneau.access.TenantScope;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Picks the SMS gateway from {@code creneau.sms.gateway}: {@code outbox} (the default: the
 * {@code sms_outbox} table the platform admin reads) or {@code http} (an SMS provider at
 * {@code creneau.sms.http.url}). The outbox is also a bean of its own, for the admin's list.
 */
@Configuration(proxyBeanMethods = false)
class SmsGateways {

    enum Kind {
        OUTBOX,
        HTTP
    }

    @Bean
    SmsOutbox smsOutbox(
            JdbcClient jdbc, TenantScope scope, Clock clock, @Value("${creneau.sms.sender:Creneau}") String sender) {
        return new SmsOutbox(jdbc, scope, clock, sender);
    }

    /** The one the workers use (the outbox bean is an {@link SmsGateway} too). */
    @Bean
    @Primary
    SmsGateway smsGateway(
            @Value("${creneau.sms.gateway:outbox}") String gateway,
            SmsOutbox outbox,
            @Value("${creneau.sms.http.url:}") String url,
            @Value("${creneau.sms.http.token:}") String token,
            @Value("${creneau.sms.sender:Creneau}") String sender,
            @Value("${creneau.sms.http.connect-timeout:PT5S}") Duration connectTimeout,
            @Value("${creneau.sms.http.timeout:PT15S}") Duration timeout,
            JsonMapper json) {
        Kind kind;
        try {
            kind = Kind.valueOf(gateway.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("creneau.sms.gateway must be outbox or http, not " + gateway);
        }
        return switch (kind) {
            case OUTBOX -> outbox;
            case HTTP -> {
                if (url.isBlank()) {
                    throw new IllegalStateException("creneau.sms.gateway=http needs creneau.sms.http.url");
                }
                yield new HttpSmsGateway(
                        new HttpSmsGateway.Settings(URI.create(url), token, sender, connectTimeout, timeout), json);
            }
        };
    }
}
