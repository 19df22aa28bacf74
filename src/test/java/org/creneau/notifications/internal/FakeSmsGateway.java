package org.creneau.notifications.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real SMS provider's HTTP endpoint on a free local port (the JDK's server), that records every
 * request it gets and answers from a script: a given status, or no answer until released (a
 * timeout), then 202 once the script is empty.
 */
final class FakeSmsGateway implements AutoCloseable {

    /** One request as the provider received it. */
    record Request(String method, Map<String, List<String>> headers, String body, int answered) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        boolean accepted() {
            return answered / 100 == 2;
        }
    }

    /** A scripted answer: a status, or {@code HANG} (no answer until the server closes). */
    static final int HANG = -1;

    private final HttpServer server;
    private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    FakeSmsGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sms", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sms");
    }

    /** The next requests get these answers, in order; after them, 202. */
    FakeSmsGateway answer(int... statuses) {
        for (int status : statuses) {
            script.add(status);
        }
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A gateway of the application's kind over this server. */
    HttpSmsGateway gateway(String token, Duration timeout) {
        return new HttpSmsGateway(
                new HttpSmsGateway.Settings(url(), token, "Creneau", Duration.ofSeconds(2), timeout),
                JsonMapper.builder().build());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Integer scripted = script.poll();
        int status = scripted == null ? 202 : scripted;
        synchronized (this) {
            requests.add(
                    new Request(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()), body, status));
        }
        if (status == HANG) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] answer = (status / 100 == 2 ? "{\"status\":\"queued\"}" : "{\"error\":\"try later\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
