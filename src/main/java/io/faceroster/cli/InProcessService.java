package io.faceroster.cli;

import java.nio.file.Path;

/** The service started inside a benchmark: in-memory H2, one identify key, no rate limit. */
final class InProcessService {

    private InProcessService() {
    }

    static final String BENCHMARK_KEY = "benchmark-" + java.util.UUID.randomUUID();

    /** The in-process service for the HTTP benchmarks: in-memory H2, one identify key, no rate limit. */
    static String[] serviceArguments(Path store) {
        return new String[] {"--server.port=0", "--spring.datasource.url=jdbc:h2:mem:benchmark",
                "--faceroster.model.seed=" + store, "--logging.level.root=WARN",
                "--faceroster.security.api-keys[0].id=benchmark", "--faceroster.security.api-keys[0].key=" + BENCHMARK_KEY,
                "--faceroster.security.api-keys[0].roles=identify", "--faceroster.security.rate-limit.requests-per-minute=0"};
    }
}
