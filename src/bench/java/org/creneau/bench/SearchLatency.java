package org.creneau.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.creneau.platform.NodeCache;
import tools.jackson.databind.JsonNode;

/**
 * Latency of "the next free slots of a specialty in a city over 14 days": one client calling
 * {@code GET /api/v1/search} over real HTTP for every (city, specialty) pair, pairs shuffled in
 * each round, after warm-up rounds that are not counted.
 */
final class SearchLatency {

    record Pair(String city, String specialty) {}

    record Result(
            Latencies all,
            Map<Pair, Latencies> byPair,
            Map<Pair, Long> candidates,
            int requests,
            int withFreeSlot,
            int resultsSeen,
            int errors,
            int warmupRequests,
            boolean budgetReached,
            Duration window,
            NodeCache.Stats keptBefore,
            NodeCache.Stats keptAfter) {}

    private final ApiSession session;
    private final BenchSettings settings;
    /** What the application's kept availability did so far (its day entries' cache). */
    private final Supplier<NodeCache.Stats> kept;

    SearchLatency(ApiSession session, BenchSettings settings, Supplier<NodeCache.Stats> kept) {
        this.session = session;
        this.settings = settings;
        this.kept = kept;
    }

    Result run(List<String> cities, List<String> specialties) {
        List<Pair> pairs = new ArrayList<>();
        for (String city : cities) {
            for (String specialty : specialties) {
                pairs.add(new Pair(city, specialty));
            }
        }
        Random random = new Random(settings.seed());
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Duration window = Duration.ofDays(14);
        Instant to = from.plus(window);
        long warmupEnd = System.nanoTime() + settings.searchWarmupSeconds() * 1_000_000_000L;
        int warmupRequests = 0;
        warmup:
        for (int round = 0; round < settings.searchWarmupRounds(); round++) {
            Collections.shuffle(pairs, random);
            for (Pair p : pairs) {
                if (System.nanoTime() > warmupEnd) {
                    break warmup;
                }
                search(p, from, to);
                warmupRequests++;
            }
        }
        Benchmark.progress("Search warm-up done: %,d requests", warmupRequests);
        NodeCache.Stats keptBefore = kept.get();
        long end = System.nanoTime() + settings.searchSeconds() * 1_000_000_000L;
        boolean budgetReached = false;
        Latencies all = new Latencies();
        Map<Pair, Latencies> byPair = new LinkedHashMap<>();
        Map<Pair, Long> candidates = new LinkedHashMap<>();
        int withFreeSlot = 0;
        int resultsSeen = 0;
        int errors = 0;
        int requests = 0;
        measure:
        for (int round = 0; round < settings.searchRounds(); round++) {
            Collections.shuffle(pairs, random);
            for (Pair p : pairs) {
                if (System.nanoTime() > end) {
                    budgetReached = true;
                    break measure;
                }
                long started = System.nanoTime();
                ApiSession.Response response = search(p, from, to);
                long elapsed = System.nanoTime() - started;
                requests++;
                all.add(elapsed);
                byPair.computeIfAbsent(p, k -> new Latencies()).add(elapsed);
                if (response.status() != 200) {
                    errors++;
                    continue;
                }
                JsonNode page = response.json();
                candidates.put(p, page.path("page").path("totalItems").asLong());
                for (JsonNode item : page.path("items")) {
                    resultsSeen++;
                    if (!item.path("nextSlot").isNull()
                            && !item.path("nextSlot").isMissingNode()) {
                        withFreeSlot++;
                    }
                }
            }
        }
        return new Result(
                all,
                byPair,
                candidates,
                requests,
                withFreeSlot,
                resultsSeen,
                errors,
                warmupRequests,
                budgetReached,
                window,
                keptBefore,
                kept.get());
    }

    private ApiSession.Response search(Pair p, Instant from, Instant to) {
        return session.get("/api/v1/search?specialty=" + encode(p.specialty()) + "&city=" + encode(p.city()) + "&from="
                + encode(from.toString()) + "&to=" + encode(to.toString()) + "&page=0&size=20");
    }

    /** The pairs with the highest median latency, slowest first. */
    static List<Map.Entry<Pair, Latencies>> slowest(Result result, int n) {
        return result.byPair().entrySet().stream()
                .sorted(Comparator.comparingDouble(
                                (Map.Entry<Pair, Latencies> e) -> e.getValue().percentileMs(50))
                        .reversed())
                .limit(n)
                .toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
