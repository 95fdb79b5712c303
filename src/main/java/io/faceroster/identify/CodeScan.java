package io.faceroster.identify;

/**
 * The inner loop of {@link QuantisedIndex}: for each prototype of some blocks, the dot product of the float
 * query with its byte codes. Two implementations: the Java Vector API (incubating in Java 17, needs
 * {@code --add-modules jdk.incubator.vector}; measured about 10 times faster on this project's machine, since
 * C2 does not vectorise byte-to-float loops) and plain loops, used when the module is not in the JVM.
 */
abstract class CodeScan {

    private static final CodeScan INSTANCE = choose();

    static CodeScan get() {
        return INSTANCE;
    }

    /** Which implementation this JVM uses: {@code vector-api} or {@code plain-loops}. */
    static String implementation() {
        return INSTANCE.name();
    }

    abstract String name();

    /**
     * {@code out[j]} = query · codes of prototype {@code firstBlock × BLOCK + j}, for {@code blocks} blocks.
     */
    abstract void dots(byte[] codes, int firstBlock, int blocks, int dimension, float[] query, float[] out);

    private static CodeScan choose() {
        if (!Boolean.getBoolean("faceroster.identify.plain-loops")
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (CodeScan) Class.forName("io.faceroster.identify.VectorCodeScan")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new Plain();
            }
        }
        return new Plain();
    }

    /** Plain loops (what runs without the incubator module). */
    static final class Plain extends CodeScan {
        @Override
        String name() {
            return "plain-loops";
        }

        @Override
        void dots(byte[] codes, int firstBlock, int blocks, int dimension, float[] query, float[] out) {
            int b = QuantisedIndex.BLOCK;
            for (int k = 0; k < blocks; k++) {
                int base = (firstBlock + k) * dimension * b;
                int o = k * b;
                for (int l = 0; l < b; l++) {
                    out[o + l] = 0;
                }
                for (int d = 0; d < dimension; d++) {
                    float q = query[d];
                    int c = base + d * b;
                    for (int l = 0; l < b; l++) {
                        out[o + l] += q * codes[c + l];
                    }
                }
            }
        }
    }
}
