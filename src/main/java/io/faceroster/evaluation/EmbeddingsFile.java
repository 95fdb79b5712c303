package io.faceroster.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Embeddings exchanged with the reference implementations: {@code {"embeddings": {"Person/file.jpg": [...]},
 * "meta": {...}}}, one image per line. A float embedding is written as the exact decimal of its float64
 * value, so a reader (Python's {@code json}, this class) gets the very doubles the Java evaluator used.
 */
public final class EmbeddingsFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EmbeddingsFile() {
    }

    /** Writes {@code embeddings} (key to vector, in the map's order) and {@code meta}, atomically. */
    public static void write(Path file, Map<String, double[]> embeddings, Map<String, Object> meta) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp)) {
            out.write("{\"embeddings\": {");
            String sep = "\n";
            for (Map.Entry<String, double[]> e : embeddings.entrySet()) {
                out.write(sep);
                out.write(JSON.writeValueAsString(e.getKey()));
                out.write(": ");
                out.write(JSON.writeValueAsString(e.getValue()));
                sep = ",\n";
            }
            out.write("\n},\n\"meta\": ");
            out.write(JSON.writeValueAsString(meta));
            out.write("}\n");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads the {@code embeddings} object (or a bare key-to-vector object), keys in file order. */
    public static Map<String, double[]> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no embeddings file at " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a JSON embeddings file: " + file + ": " + e.getOriginalMessage());
        }
        JsonNode table = root.has("embeddings") ? root.get("embeddings") : root;
        if (!table.isObject()) {
            throw new IllegalArgumentException(file + ": expected {\"embeddings\": {\"Person/file\": [numbers]}}");
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : table.properties()) {
            JsonNode v = e.getValue();
            if (!v.isArray() || v.isEmpty()) {
                throw new IllegalArgumentException(file + ": the embedding of " + e.getKey() + " is not a list of numbers");
            }
            double[] row = new double[v.size()];
            for (int i = 0; i < row.length; i++) {
                if (!v.get(i).isNumber()) {
                    throw new IllegalArgumentException(file + ": the embedding of " + e.getKey()
                            + " is not a list of numbers");
                }
                row[i] = v.get(i).doubleValue();
            }
            out.put(e.getKey(), row);
        }
        return out;
    }
}
