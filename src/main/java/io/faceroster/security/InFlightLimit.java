package io.faceroster.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code perKey} requests of one API key in the service at once (issue 10, item 5): 230 stalled multipart
 * uploads within three keys' rate limits held every Tomcat worker until their connections closed. A key's request
 * beyond the limit is refused at once, before its body is read, so the other keys and the health probes keep their
 * workers. 0 turns the limit off.
 */
final class InFlightLimit {

    private final int perKey;
    private final ConcurrentHashMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    InFlightLimit(int perKey) {
        this.perKey = perKey;
    }

    int perKey() {
        return perKey;
    }

    /** True when {@code keyId} may start a request now; then {@link #release} must follow. */
    boolean tryAcquire(String keyId) {
        return perKey <= 0 || inFlight.computeIfAbsent(keyId, k -> new Semaphore(perKey)).tryAcquire();
    }

    void release(String keyId) {
        if (perKey > 0) {
            inFlight.get(keyId).release();
        }
    }
}
