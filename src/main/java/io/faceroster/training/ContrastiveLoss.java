package io.faceroster.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * The contrastive loss of Hadsell, Chopra and LeCun: same-person pairs are pulled together with D²,
 * different-person pairs pushed apart until they are {@code margin} away, with max(0, margin - D)².
 *
 * <p>Two ways to feed it:
 * <ul>
 *   <li>{@link #pairs} (the seed notebook): predictions {@code (o1, o2)}, labels {@code y} with 0 = same,
 *       1 = different; mean over pairs.</li>
 *   <li>{@link #batchAll}: predictions {@code (embeddings)}, labels {@code (person index)}; every pair in the
 *       batch is used. Positives are averaged over all positive pairs, negatives over the negative pairs
 *       still inside the margin, so that the many easy negatives neither drown the few positives nor
 *       dilute the hard negatives.</li>
 * </ul>
 */
public final class ContrastiveLoss extends Loss {

    /** How predictions and labels are paired up. */
    public enum Mode { PAIRS, BATCH_ALL, SUPERVISED_NCE }

    private final float margin;
    private final Mode mode;

    private ContrastiveLoss(float margin, Mode mode) {
        super("Contrastive-" + mode.name().toLowerCase());
        this.margin = margin;
        this.mode = mode;
    }

    public static ContrastiveLoss pairs(float margin) {
        return new ContrastiveLoss(margin, Mode.PAIRS);
    }

    public static ContrastiveLoss batchAll(float margin) {
        return new ContrastiveLoss(margin, Mode.BATCH_ALL);
    }

    /**
     * Supervised contrastive (InfoNCE) form over every pair in the batch: for each anchor, the softmax of
     * cosine similarities / temperature should put its mass on the anchor's same-person images. The
     * "margin" parameter is the temperature here. Expects L2-normalised embeddings.
     */
    public static ContrastiveLoss supervisedNce(float temperature) {
        return new ContrastiveLoss(temperature, Mode.SUPERVISED_NCE);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return switch (mode) {
            case PAIRS -> evaluatePairs(labels.head(), predictions.get(0), predictions.get(1));
            case BATCH_ALL -> evaluateBatchAll(labels.head(), predictions.head());
            case SUPERVISED_NCE -> evaluateSupervisedNce(labels.head(), predictions.head());
        };
    }

    private NDArray evaluatePairs(NDArray y, NDArray o1, NDArray o2) {
        // PyTorch's pairwise_distance adds 1e-6 to the difference, which also keeps sqrt's gradient finite.
        NDArray d = o1.sub(o2).add(1e-6f).square().sum(new int[] {1}).sqrt();
        NDArray yy = y.reshape(-1);
        NDArray same = yy.neg().add(1f).mul(d.square());
        NDArray different = yy.mul(d.neg().add(margin).maximum(0f).square());
        return same.add(different).mean();
    }

    private NDArray evaluateBatchAll(NDArray personIds, NDArray emb) {
        float[] ids = personIds.toType(DataType.FLOAT32, false).toFloatArray();
        int n = ids.length;
        // Masks over the strict upper triangle: each unordered pair once, never an image with itself.
        float[] pos = new float[n * n];
        float[] neg = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (ids[i] == ids[j]) {
                    pos[i * n + j] = 1f;
                } else {
                    neg[i * n + j] = 1f;
                }
            }
        }
        Shape square = new Shape(n, n);
        NDArray positive = emb.getManager().create(pos, square);
        NDArray negative = emb.getManager().create(neg, square);

        NDArray squaredNorms = emb.square().sum(new int[] {1}, true);
        NDArray d2 = squaredNorms.add(squaredNorms.transpose()).sub(emb.matMul(emb.transpose()).mul(2f))
                .maximum(1e-12f);
        NDArray d = d2.sqrt();
        NDArray pull = d2.mul(positive).sum().div(Math.max(1f, sum(pos)));
        NDArray hinge = d.neg().add(margin).maximum(0f).mul(negative);
        // Average the push over the negatives that still violate the margin: once most impostor pairs are
        // far enough apart, dividing by all of them would shrink the signal of the hard ones to nothing.
        float active = sum(hinge.gt(0f).toType(DataType.FLOAT32, false).toFloatArray());
        NDArray push = hinge.square().sum().div(Math.max(1f, active));
        return pull.add(push);
    }

    private NDArray evaluateSupervisedNce(NDArray personIds, NDArray emb) {
        float[] ids = personIds.toType(DataType.FLOAT32, false).toFloatArray();
        int n = ids.length;
        float[] pos = new float[n * n];
        float[] self = new float[n * n];
        float[] anchorWeight = new float[n];
        int anchors = 0;
        for (int i = 0; i < n; i++) {
            self[i * n + i] = 1e4f;
            int positives = 0;
            for (int j = 0; j < n; j++) {
                if (j != i && ids[i] == ids[j]) {
                    pos[i * n + j] = 1f;
                    positives++;
                }
            }
            if (positives > 0) {
                anchorWeight[i] = 1f / positives;
                anchors++;
            }
        }
        Shape square = new Shape(n, n);
        var m = emb.getManager();
        // An image is never its own candidate: a large negative logit on the diagonal removes it.
        NDArray logits = emb.matMul(emb.transpose()).div(margin).sub(m.create(self, square));
        NDArray logProb = logits.logSoftmax(1);
        NDArray perAnchor = logProb.mul(m.create(pos, square)).sum(new int[] {1})
                .mul(m.create(anchorWeight));
        return perAnchor.sum().neg().div(Math.max(1, anchors));
    }

    private static float sum(float[] values) {
        float s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
