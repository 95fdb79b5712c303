package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingsFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryDoubleExactlyAndTheOrder() throws Exception {
        Map<String, double[]> emb = new LinkedHashMap<>();
        emb.put("Zed/2.jpg", new double[] {0.1f, -1e-7f, 3.4028235e38f});
        emb.put("Al \"Q\"/1.jpg", new double[] {Math.PI, -0.0, 1e-300});
        Path file = dir.resolve("emb.json");
        EmbeddingsFile.write(file, emb, Map.of("model", "m"));
        Map<String, double[]> back = EmbeddingsFile.read(file);
        assertThat(back.keySet()).containsExactly("Zed/2.jpg", "Al \"Q\"/1.jpg");
        emb.forEach((k, v) -> assertThat(back.get(k)).containsExactly(v));
        assertThat(Files.readString(file)).startsWith("{\"embeddings\": {").contains("\"meta\"");
    }

    @Test
    void readsABareKeyToVectorObjectToo() throws Exception {
        Path file = dir.resolve("bare.json");
        Files.writeString(file, "{\"A/1.jpg\": [1, 2.5], \"A/2.jpg\": [0, -1]}");
        assertThat(EmbeddingsFile.read(file).get("A/1.jpg")).containsExactly(1, 2.5);
    }

    @Test
    void refusesAVectorThatIsNotNumbers() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"embeddings\": {\"A/1.jpg\": [1, \"x\"]}}");
        assertThatThrownBy(() -> EmbeddingsFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A/1.jpg");
    }
}
