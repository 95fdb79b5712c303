package io.faceroster.cli;

import java.util.Arrays;
import java.util.Set;

/**
 * Entry point of the command-line tools that share the service's classes: train, evaluate, benchmark,
 * import-weights, calibrate-model (a model's own threshold), calibrate (a gallery's threshold and health), import
 * (a bulk import through a running service's API).
 */
public final class Commands {

    public static final Set<String> NAMES = Set.of("train", "evaluate", "benchmark", "import-weights",
            "calibrate-model", "calibrate", "import", "help");

    private Commands() {
    }

    public static boolean isCommand(String[] args) {
        return args.length > 0 && NAMES.contains(args[0]);
    }

    /** Runs the command named by {@code args[0]} and returns the process exit code. */
    public static int run(String[] args) {
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help")) {
            usage();
            return 0;
        }
        try {
            return switch (args[0]) {
                case "train" -> TrainCommand.run(rest);
                case "evaluate" -> EvaluateCommand.run(rest);
                case "benchmark" -> BenchmarkCommand.run(rest);
                case "import-weights" -> ImportWeightsCommand.run(rest);
                case "calibrate-model" -> CalibrateModelCommand.run(rest);
                case "calibrate" -> CalibrateCommand.run(rest);
                case "import" -> ImportCommand.run(rest);
                default -> usage();
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            usage();
            return 2;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static int usage() {
        System.err.println("usage: java -jar faceroster.jar [train|evaluate|benchmark|import-weights|calibrate-model|"
                + "calibrate|import] ...   (no command: run the service)");
        System.err.println();
        System.err.println(TrainCommand.USAGE);
        System.err.println(EvaluateCommand.USAGE);
        System.err.println(BenchmarkCommand.USAGE);
        System.err.println(ImportWeightsCommand.USAGE);
        System.err.println(CalibrateModelCommand.USAGE);
        System.err.println(CalibrateCommand.USAGE);
        System.err.println(ImportCommand.USAGE);
        return 2;
    }
}
