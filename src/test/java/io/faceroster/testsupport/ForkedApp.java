package io.faceroster.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service in a JVM of its own (the test classpath, so the test keys apply), for what an in-process test cannot
 * show: a small heap ({@code -Xmx512m}) and a process killed with {@code kill -9}. Its output goes to a log file.
 */
public final class ForkedApp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ForkedApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service and waits until it answers {@code /actuator/health/readiness} with 200. */
    public static ForkedApp start(List<String> jvmOptions, Map<String, String> properties, Path log) throws Exception {
        return start(jvmOptions, properties, log, null);
    }

    /**
     * The same in working directory {@code workDir} (so that the default {@code ./data} database lies there); the
     * model store and the detector are given as absolute paths of this checkout.
     */
    public static ForkedApp start(List<String> jvmOptions, Map<String, String> properties, Path log, Path workDir)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.faceroster.FaceRosterApplication");
        command.add("--server.port=" + port);
        if (workDir != null) {
            Path models = Path.of("models").toAbsolutePath();
            command.add("--faceroster.model.seed=" + models);
            command.add("--faceroster.imaging.detection.model="
                    + models.resolve("detector/face_detection_front_128x128_barracuda.onnx"));
        }
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        Process p = new ProcessBuilder(command).directory(workDir == null ? null : workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ForkedApp app = new ForkedApp(p, port, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        ApiClient api = app.api();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the forked service exited with " + p.exitValue() + ":\n" + app.logTail());
            }
            try {
                if (api.get("/actuator/health/readiness").status() == 200) {
                    return app;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        app.close();
        throw new IllegalStateException("the forked service did not become ready:\n" + app.logTail());
    }

    public int port() {
        return port;
    }

    public ApiClient api() {
        return new ApiClient(port);
    }

    public ApiClient api(String key) {
        return new ApiClient(port, key);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** A line of {@code /proc/<pid>/status} in KiB (VmHWM: peak resident memory, VmRSS: now); -1 if unreadable. */
    public long procStatusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGKILL: no shutdown hook, no database close, as a power cut of the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }
}
