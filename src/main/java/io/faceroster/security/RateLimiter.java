package io.faceroster.security;

import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per key id: {@code perMinute} tokens a minute, at most {@code burst} saved up. */
final class RateLimiter {

    private final double perNano;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }
    }

    RateLimiter(int perMinute, int burst) {
        this.perNano = perMinute / 60e9;
        this.burst = Math.max(1, burst);
    }

    boolean enabled() {
        return perNano > 0;
    }

    /** 0 when the request may go ahead (a token is taken), else the seconds until a token is free. */
    long acquire(String keyId, long nowNanos) {
        Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (nowNanos - b.last) * perNano);
            b.last = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perNano / 1e9));
        }
    }
}
