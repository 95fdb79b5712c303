package io.faceroster;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * FaceRoster, the REST service. The jar's entry point is {@code io.faceroster.cli.Main}, which runs this
 * application unless the first argument names a command-line tool; the service itself knows nothing of the tools.
 */
@SpringBootApplication
public class FaceRosterApplication {

    public static void main(String[] args) {
        SpringApplication.run(FaceRosterApplication.class, args);
    }
}
