package io.faceroster.evaluation;

import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.ImageFiles;
import io.faceroster.model.EmbeddingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;

/**
 * Photos to embeddings through the service's pipeline: decode, detect, choose the face, align, embed. The
 * protocols only see the result; {@link #embedBatch} is the one place that knows how a photo becomes an
 * embedding. Reads, aligns and embeds {@value #BATCH} photos at a time, so memory holds one batch of photos
 * and the embeddings; the per-photo work runs on {@code threads} threads.
 */
public final class PhotoEmbedder {

    private static final int BATCH = 32;

    private final EmbeddingService embedder;
    private final DatasetPhotoAligner alignment;
    private final int threads;

    public PhotoEmbedder(EmbeddingService embedder, DatasetPhotoAligner alignment, int threads) {
        this.embedder = embedder;
        this.alignment = alignment;
        this.threads = Math.max(1, threads);
    }

    /** The embedding of every photo of {@code photos}, by key in its order; {@code progress} gets counts done. */
    public Map<String, double[]> embed(PhotoSet photos, IntConsumer progress) {
        Map<String, double[]> out = new LinkedHashMap<>();
        List<String> keys = photos.keys();
        ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
        try {
            for (int from = 0; from < keys.size(); from += BATCH) {
                List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
                List<Path> files = batch.stream().map(photos::file).toList();
                List<float[]> vectors = pool == null ? embedBatch(files) : pool.submit(() -> embedBatch(files)).get();
                for (int i = 0; i < batch.size(); i++) {
                    out.put(batch.get(i), toDouble(vectors.get(i)));
                }
                progress.accept(out.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
        return out;
    }

    /** The pipeline from photo files to embeddings: the one method to change when the pipeline changes. */
    private List<float[]> embedBatch(List<Path> files) {
        // Inside the pool's task a parallel stream runs on that pool's threads; with one thread, in order here.
        List<FaceChip> chips = (threads > 1 ? files.parallelStream() : files.stream()).map(this::faceChip).toList();
        return embedder.embedBatch(chips);
    }

    private FaceChip faceChip(Path file) {
        try {
            return alignment.apply(ImageFiles.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            d[j] = v[j];
        }
        return d;
    }
}
