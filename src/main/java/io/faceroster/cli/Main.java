package io.faceroster.cli;

import io.faceroster.FaceRosterApplication;

/**
 * The jar's entry point (set in pom.xml): a command-line tool when the first argument names one
 * ({@link Commands#NAMES}), otherwise the service.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (Commands.isCommand(args)) {
            System.exit(Commands.run(args));
        }
        FaceRosterApplication.main(args);
    }
}
