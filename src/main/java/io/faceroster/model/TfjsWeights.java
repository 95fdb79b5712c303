package io.faceroster.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Weights in TensorFlow.js's format: a JSON manifest naming each tensor's shape and encoding, and the raw bytes of
 * all tensors in manifest order in one or more {@code .bin} files. Tensors stored as {@code uint8} are quantised
 * per tensor, {@code value = min + scale * byte}; float32 tensors are little-endian. Read-only; nothing here
 * knows about any particular network.
 */
public final class TfjsWeights {

    /** One tensor, dequantised, in TF.js layout (convolution filters are [height, width, in, out]). */
    public record Tensor(String name, long[] shape, float[] values, boolean quantised) {
    }

    private TfjsWeights() {
    }

    /** Reads {@code manifest} and the weight files it names, which must sit in the same folder. */
    public static List<Tensor> read(Path manifest) throws IOException {
        JsonNode groups = ModelDirectory.JSON.readTree(Files.readString(manifest));
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode group : groups) {
            ByteBuffer data = concatenated(manifest.getParent(), group.get("paths"));
            for (JsonNode w : group.get("weights")) {
                tensors.add(tensor(w, data));
            }
            if (data.hasRemaining()) {
                throw new IOException(manifest + ": " + data.remaining() + " bytes of weight data left over");
            }
        }
        return tensors;
    }

    private static ByteBuffer concatenated(Path folder, JsonNode paths) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (JsonNode p : paths) {
            Path file = folder.resolve(p.asString()).normalize();
            if (!file.startsWith(folder.normalize())) {
                throw new IOException("weights path outside the manifest's folder: " + p.asString());
            }
            byte[] bytes = Files.readAllBytes(file);
            parts.add(bytes);
            total = Math.addExact(total, bytes.length);
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        parts.forEach(all::put);
        return all.flip();
    }

    private static Tensor tensor(JsonNode w, ByteBuffer data) throws IOException {
        String name = w.get("name").asString();
        JsonNode shapeNode = w.get("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count = Math.multiplyExact(count, shape[i]);
        }
        if (!"float32".equals(w.get("dtype").asString())) {
            throw new IOException(name + ": unsupported dtype " + w.get("dtype").asString());
        }
        float[] values = new float[Math.toIntExact(count)];
        JsonNode q = w.get("quantization");
        try {
            if (q == null || q.isNull()) {
                data.asFloatBuffer().get(values);
                data.position(data.position() + values.length * Float.BYTES);
                return new Tensor(name, shape, values, false);
            }
            if (!"uint8".equals(q.get("dtype").asString())) {
                throw new IOException(name + ": unsupported quantisation " + q.get("dtype").asString());
            }
            double scale = q.get("scale").asDouble();
            double min = q.get("min").asDouble();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (min + scale * (data.get() & 0xff));
            }
            return new Tensor(name, shape, values, true);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("weight data ends inside tensor " + name, e);
        }
    }
}
