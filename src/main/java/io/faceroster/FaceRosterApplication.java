package io.faceroster;

import io.faceroster.cli.Commands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** FaceRoster: the REST service, or one of the command-line tools when the first argument names one. */
@SpringBootApplication
public class FaceRosterApplication {

    public static void main(String[] args) {
        if (Commands.isCommand(args)) {
            System.exit(Commands.run(args));
        }
        SpringApplication.run(FaceRosterApplication.class, args);
    }
}
