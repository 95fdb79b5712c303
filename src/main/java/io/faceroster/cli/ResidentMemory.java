package io.faceroster.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory as Linux reports it, for measurements: total, anonymous and file-backed pages. */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** {@code VmRSS, RssAnon, RssFile} lines of {@code /proc/self/status}, or {@code n/a} where there is none. */
    public static String describe() {
        try {
            return String.join(", ", Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS") || l.startsWith("RssAnon") || l.startsWith("RssFile"))
                    .map(l -> l.replaceAll("\\s+", " ")).toList());
        } catch (IOException e) {
            return "n/a";
        }
    }
}
