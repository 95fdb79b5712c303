package io.faceroster.cli;

import io.faceroster.model.DjlRuntime;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code benchmark}: training step time of the {@code seed} architecture at batch 64, embedding latency of
 * a model at batch 1 and 32, and resident memory across many embeddings. Prints figures; asserts nothing.
 */
final class BenchmarkCommand {

    static final String USAGE = """
            benchmark [options]
              --model DIR          model directory or store for the latency runs (default models)
              --threads N          intra-op threads (default 1)
              --train-steps N      measured seed training steps after 2 warm-up steps (default 6)
              --runs N             measured forward passes per latency setting (default 200)
              --memory-embeddings N  embeddings for the resident-memory check (default 20000; 0 skips)
              --identify           instead: identify latency (matching alone and full HTTP requests) with
                                   100, 10,000 and 100,000 enrolled face samples (5 shots per employee)
              --samples N          with --identify: instead matching alone at N synthetic samples (no
                                   service): int8 first pass + exact re-rank vs the float32 scan, top-1
                                   agreement, index bytes per sample (docs/scale-out.md)
              --shots N            with --samples: shots per employee (default 1)
              --agreement-queries N  with --samples: random queries checked against the scan (default 10000)
              --json               with --samples: one JSON object
              --speed FACE         instead: the active model's cost per face (backbone alone at batch 1
                                   and 8 in wall and CPU time, the tower, detection at 640x480) and
                                   HTTP identify with detection at concurrency 1 and 4, as one JSON
                                   object (tools/reference/speed-ratio.sh compares it with PyTorch)
              --detection FACE     instead: face detection + alignment time on 640x480 and 1920x1080
                                   canvases with the image FACE pasted in (e.g. an ORL .pgm), then full
                                   HTTP identify requests with detection on JPEGs of both canvases
            """;

    private BenchmarkCommand() {
    }

    static int run(String[] args) throws Exception {
        var relaunched = VectorModuleRelaunch.ifNeeded(prefixed(args));
        if (relaunched.isPresent()) {
            return relaunched.get();
        }
        CommandLine cl = new CommandLine(args, Set.of("identify", "json"));
        int threads = cl.getInt("threads", 1);
        DjlRuntime.configure(cl.path("djl-cache", null), threads);
        Path modelPath = cl.path("model", "models");
        int trainSteps = cl.getInt("train-steps", 6);
        int runs = cl.getInt("runs", 200);
        int memoryEmbeddings = cl.getInt("memory-embeddings", 20000);
        boolean identify = cl.flag("identify");
        Path detectionFace = cl.path("detection", null);
        Path speedFace = cl.path("speed", null);
        int samples = cl.getInt("samples", 0);
        int shots = cl.getInt("shots", 1);
        int agreementQueries = cl.getInt("agreement-queries", 10_000);
        boolean json = cl.flag("json");
        cl.rejectUnknown();
        if (identify && samples > 0) {
            return ScaleBenchmark.run(samples, shots, Math.max(runs, 500), agreementQueries, json);
        }
        if (speedFace != null) {
            return SpeedBenchmark.run(modelPath, speedFace, runs);
        }
        if (identify) {
            return IdentifyBenchmark.latency(modelPath, runs);
        }
        if (detectionFace != null) {
            return DetectionBenchmark.run(modelPath, detectionFace, runs);
        }

        return EmbeddingBenchmark.run(modelPath, threads, trainSteps, runs, memoryEmbeddings);
    }

    private static String[] prefixed(String[] args) {
        String[] out = new String[args.length + 1];
        out[0] = "benchmark";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }

    /** A key made up for this run only, for the in-process service (no rate limit). */
}
