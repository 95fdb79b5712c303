package io.faceroster.model;

import java.nio.file.Path;

/**
 * Process-wide DJL settings. They are read once when the PyTorch engine loads, so {@link #configure} must
 * run before anything touches {@code Engine}. DJL is always offline: libtorch comes from the
 * {@code pytorch-native-cpu} jar on the class path and is extracted to the cache directory.
 */
public final class DjlRuntime {

    private DjlRuntime() {
    }

    /**
     * @param cacheDir       where DJL extracts libtorch (null keeps DJL's default, {@code ~/.djl.ai})
     * @param intraOpThreads OpenMP threads per operator; 1 avoids spin-waiting threads fighting for 2 cores
     */
    public static void configure(Path cacheDir, int intraOpThreads) {
        System.setProperty("ai.djl.offline", "true");
        if (cacheDir != null) {
            String dir = cacheDir.toAbsolutePath().toString();
            System.setProperty("DJL_CACHE_DIR", dir);
            System.setProperty("ENGINE_CACHE_DIR", dir);
        }
        if (intraOpThreads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
