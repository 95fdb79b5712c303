package io.faceroster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TowerBuilderTest {

    private static List<Shape> layerShapes(TowerArchitecture arch) {
        SequentialBlock block = TowerBuilder.build(arch);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Shape[] shapes = {TowerBuilder.inputShape(arch, 4)};
            block.initialize(manager, DataType.FLOAT32, shapes);
            List<Shape> out = new ArrayList<>();
            for (var child : block.getChildren()) {
                Block layer = child.getValue();
                shapes = layer.getOutputShapes(shapes);
                out.add(shapes[0]);
            }
            return out;
        }
    }

    @Test
    void seedTowerHasTheNotebooksShapes() {
        List<Shape> s = layerShapes(TowerArchitecture.seed());
        assertThat(s).containsExactly(
                new Shape(4, 96, 62, 62), new Shape(4, 96, 62, 62), new Shape(4, 96, 62, 62), new Shape(4, 96, 30, 30),
                new Shape(4, 64, 14, 14), new Shape(4, 64, 14, 14), new Shape(4, 64, 14, 14), new Shape(4, 64, 7, 7),
                new Shape(4, 3136),
                new Shape(4, 256), new Shape(4, 256), new Shape(4, 128), new Shape(4, 128), new Shape(4, 32),
                new Shape(4, 32), new Shape(4, 2));
    }

    @Test
    void facerosterTowerEndsInAnEmbedding() {
        TowerArchitecture arch = TowerArchitecture.faceroster();
        List<Shape> s = layerShapes(arch);
        assertThat(s).hasSize(arch.layers().size());
        assertThat(s.get(0)).isEqualTo(new Shape(8, 1, 64, 64));      // each image and its mirror
        assertThat(s.get(1)).isEqualTo(new Shape(8, 32, 64, 64));
        assertThat(s.get(4)).isEqualTo(new Shape(8, 32, 32, 32));
        assertThat(s.get(arch.layers().indexOf("gap"))).isEqualTo(new Shape(8, 128));
        assertThat(s.get(s.size() - 1)).isEqualTo(new Shape(4, 128));
    }

    @Test
    void initialisationFollowsPyTorchBounds() {
        SequentialBlock block = TowerBuilder.build(TowerArchitecture.seed());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            block.initialize(manager, DataType.FLOAT32, TowerBuilder.inputShape(TowerArchitecture.seed(), 1));
            var params = block.getParameters();
            // First Linear: fan-in 3136, so its weights lie within 1/sqrt(3136) = 1/56 (and fill that range).
            var linearWeight = params.stream().filter(p -> p.getValue().getShape().equals(new Shape(256, 3136)))
                    .findFirst().orElseThrow().getValue().getArray();
            float bound = 1f / 56f;
            assertThat(linearWeight.abs().max().getFloat()).isLessThanOrEqualTo(bound);
            assertThat(linearWeight.abs().max().getFloat()).isGreaterThan(bound * 0.9f);
        }
    }

    @Test
    void mirrorAveragingMakesTheEmbeddingSymmetric() {
        var arch = new TowerArchitecture("sym", 8, 8, TowerArchitecture.Normalisation.UNIT,
                List.of("flipcat", "conv 4 3 s1 p1", "relu", "flatten", "linear 5", "flipmean", "l2norm"));
        SequentialBlock block = TowerBuilder.build(arch);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            block.initialize(manager, DataType.FLOAT32, TowerBuilder.inputShape(arch, 2));
            var x = manager.randomUniform(0, 1, TowerBuilder.inputShape(arch, 2));
            var ps = new ai.djl.training.ParameterStore(manager, false);
            float[] plain = block.forward(ps, new ai.djl.ndarray.NDList(x), false).head().toFloatArray();
            float[] mirrored = block.forward(ps, new ai.djl.ndarray.NDList(x.flip(3)), false).head().toFloatArray();
            assertThat(plain).hasSize(10);
            for (int i = 0; i < plain.length; i++) {
                assertThat(mirrored[i]).isCloseTo(plain[i], org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
    }

    @Test
    void rejectsUnknownLayers() {
        var arch = new TowerArchitecture("bad", 8, 8, TowerArchitecture.Normalisation.UNIT, List.of("conv 4 3", "warp 9"));
        assertThatThrownBy(() -> TowerBuilder.build(arch)).hasMessageContaining("warp 9");
    }
}
