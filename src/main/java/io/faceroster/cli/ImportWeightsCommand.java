package io.faceroster.cli;

import io.faceroster.model.DjlRuntime;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.ModelStore;
import io.faceroster.model.WeightsImport;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code import-weights}: dlib's face-recognition ResNet from the face-api npm package into the model store. */
final class ImportWeightsCommand {

    static final String USAGE = """
            import-weights --package FILE.tgz|DIR [options]
              --package PATH     vladmandic-face-api-1.7.15.tgz (from `npm pack @vladmandic/face-api@1.7.15`), or
                                 its unpacked model/ folder; its SHA-256 is checked
              --out DIR          model store to write the new version into (default models)
              --threshold T      distance threshold to record (default 0.6, dlib's customary pair threshold:
                                 calibrate for your gallery, see docs/model.md)
              --activate         make the imported model the store's active one
            """;

    private ImportWeightsCommand() {
    }

    static int run(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("activate"));
        DjlRuntime.configure(cl.path("djl-cache", null), 1);
        Path source = Path.of(cl.require("package"));
        Path out = cl.path("out", "models");
        double threshold = Double.parseDouble(cl.get("threshold", "0.6"));
        boolean activate = cl.flag("activate");
        cl.rejectUnknown();
        ModelMetadata.Calibration calibration = new ModelMetadata.Calibration(
                "given at import (" + (threshold == 0.6 ? "dlib's customary pair threshold" : "--threshold")
                        + "); not calibrated on any gallery", List.of(), Double.NaN, Double.NaN, Double.NaN);
        WeightsImport.Imported imported = WeightsImport.run(source, out, threshold, calibration);
        System.out.println("imported " + imported.metadata().backbone().sourcePackage() + "@"
                + imported.metadata().backbone().sourceVersion() + " (weights SHA-256 "
                + imported.metadata().backbone().sha256() + ") as " + imported.metadata().version() + " in "
                + imported.directory());
        if (activate) {
            ModelStore.setActive(out, imported.metadata().version());
            System.out.println("active model of " + out + " is now " + imported.metadata().version());
        }
        return 0;
    }
}
