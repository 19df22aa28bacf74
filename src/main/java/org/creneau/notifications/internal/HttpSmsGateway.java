package org.creneau.notifications.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.creneau.platform.PhoneNumber;
import tools.jackson.databind.json.JsonMapper;

/**
 * An SMS provider over HTTP: {@code POST} of {@code {"from", "to", "text", "reference"}} as JSON to
 * the configured address with a bearer token, and the message's id as {@code Idempotency-Key} (so
 * the provider can drop a copy). A 2xx is taken; any other answer, a timeout or a connection that
 * fails is a retryable refusal whose reason (status or error, never the text) the admin reads.
 */
class HttpSmsGateway implements SmsGateway {

    /** Where and how: the provider's address and token, the sender name shown on phones, timeouts. */
    record Settings(URI url, String token, String sender, Duration connectTimeout, Duration timeout) {}

    private static final int MAX_REASON = 120;

    private final Settings settings;
    private final HttpClient client;
    private final JsonMapper json;

    HttpSmsGateway(Settings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void send(UUID messageId, PhoneNumber to, String text) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("from", settings.sender());
        body.put("to", to.e164());
        body.put("text", text);
        body.put("reference", messageId.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", messageId.toString())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (settings.token() != null && !settings.token().isBlank()) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        HttpResponse<String> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Refused("SMS gateway timed out (" + e.getClass().getSimpleName() + ")", true);
        } catch (IOException e) {
            throw new Refused("SMS gateway unreachable (" + e.getClass().getSimpleName() + ")", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("SMS send interrupted", true);
        }
        if (answer.statusCode() / 100 != 2) {
            throw new Refused("SMS gateway answered HTTP " + answer.statusCode() + excerpt(answer.body()), true);
        }
    }

    /** The start of the provider's answer, one line: its own words for the refusal. */
    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return ": " + (line.length() > MAX_REASON ? line.substring(0, MAX_REASON) : line);
    }
}
