package io.faceroster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies imported weights into an initialised backbone block. The block's parameters and the imported tensors are
 * matched by position (both follow the network from input to output, each convolution as weight, bias, scale,
 * shift) and every pair must agree in shape once TF.js's layouts are turned into DJL's: convolution filters
 * [height, width, in, out] become [out, in, height, width], dense matrices [in, out] become [out, in].
 */
public final class BackboneWeights {

    private BackboneWeights() {
    }

    /** @throws IllegalArgumentException when the tensors do not fit the block one to one */
    public static void apply(Block backbone, List<TfjsWeights.Tensor> tensors) {
        List<Parameter> parameters = new ArrayList<>();
        backbone.getParameters().forEach(p -> parameters.add(p.getValue()));
        if (parameters.size() != tensors.size()) {
            throw new IllegalArgumentException("the backbone has " + parameters.size() + " parameters, the weights "
                    + tensors.size() + " tensors");
        }
        for (int i = 0; i < tensors.size(); i++) {
            TfjsWeights.Tensor t = tensors.get(i);
            Parameter p = parameters.get(i);
            NDArray target = p.getArray();
            float[] values = toDjlLayout(t);
            Shape expected = djlShape(t.shape());
            if (!target.getShape().equals(expected)) {
                throw new IllegalArgumentException("tensor " + t.name() + " " + expected + " does not fit parameter "
                        + p.getName() + " " + target.getShape() + " (position " + i + ")");
            }
            target.set(values);
        }
    }

    static Shape djlShape(long[] tf) {
        return switch (tf.length) {
            case 4 -> new Shape(tf[3], tf[2], tf[0], tf[1]);
            case 2 -> new Shape(tf[1], tf[0]);
            default -> new Shape(tf);
        };
    }

    static float[] toDjlLayout(TfjsWeights.Tensor t) {
        long[] s = t.shape();
        float[] v = t.values();
        if (s.length == 4) {
            int kh = (int) s[0];
            int kw = (int) s[1];
            int in = (int) s[2];
            int out = (int) s[3];
            float[] r = new float[v.length];
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int i = 0; i < in; i++) {
                        for (int o = 0; o < out; o++) {
                            r[((o * in + i) * kh + y) * kw + x] = v[((y * kw + x) * in + i) * out + o];
                        }
                    }
                }
            }
            return r;
        }
        if (s.length == 2) {
            int rows = (int) s[0];
            int cols = (int) s[1];
            float[] r = new float[v.length];
            for (int i = 0; i < rows; i++) {
                for (int o = 0; o < cols; o++) {
                    r[o * rows + i] = v[i * cols + o];
                }
            }
            return r;
        }
        return v;
    }
}
