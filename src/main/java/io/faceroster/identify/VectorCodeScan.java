package io.faceroster.identify;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CodeScan} with the Java Vector API: a block's 16 codes of one dimension are widened to floats and
 * multiplied into an accumulator that stays in registers for the whole prototype (512-bit vectors where the
 * CPU has them, else two 256-bit halves). Loaded by name only when {@code jdk.incubator.vector} is present.
 */
final class VectorCodeScan extends CodeScan {

    private static final VectorSpecies<Byte> BYTES_16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Float> FLOATS_16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Byte> BYTES_8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Float> FLOATS_8 = FloatVector.SPECIES_256;
    private static final boolean WIDE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

    @Override
    String name() {
        return "vector-api";
    }

    @Override
    void dots(byte[] codes, int firstBlock, int blocks, int dimension, float[] query, float[] out) {
        int b = QuantisedIndex.BLOCK;
        for (int k = 0; k < blocks; k++) {
            int base = (firstBlock + k) * dimension * b;
            if (WIDE) {
                FloatVector acc = FloatVector.zero(FLOATS_16);
                for (int d = 0; d < dimension; d++) {
                    FloatVector c = (FloatVector) ByteVector.fromArray(BYTES_16, codes, base + d * b)
                            .convertShape(VectorOperators.B2F, FLOATS_16, 0);
                    acc = c.fma(FloatVector.broadcast(FLOATS_16, query[d]), acc);
                }
                acc.intoArray(out, k * b);
            } else {
                FloatVector lo = FloatVector.zero(FLOATS_8);
                FloatVector hi = FloatVector.zero(FLOATS_8);
                for (int d = 0; d < dimension; d++) {
                    FloatVector q = FloatVector.broadcast(FLOATS_8, query[d]);
                    int c = base + d * b;
                    lo = ((FloatVector) ByteVector.fromArray(BYTES_8, codes, c)
                            .convertShape(VectorOperators.B2F, FLOATS_8, 0)).fma(q, lo);
                    hi = ((FloatVector) ByteVector.fromArray(BYTES_8, codes, c + 8)
                            .convertShape(VectorOperators.B2F, FLOATS_8, 0)).fma(q, hi);
                }
                lo.intoArray(out, k * b);
                hi.intoArray(out, k * b + 8);
            }
        }
    }
}
