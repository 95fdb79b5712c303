package io.faceroster.evaluation;

import io.faceroster.imaging.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The image files of a face set on disk (one folder per person), as {@code Person/file} keys in canonical
 * order (persons by name, files by name, plain string order as the reference sorts them). Only lists: the
 * images are read one batch at a time by whoever embeds them.
 */
public record PhotoSet(Path root, List<String> keys) {

    public static PhotoSet list(Path root, Predicate<String> persons) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a folder of person folders: " + root);
        }
        List<String> names;
        try (Stream<Path> dirs = Files.list(root)) {
            names = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(persons)
                    .sorted().toList();
        }
        List<String> keys = new ArrayList<>();
        for (String person : names) {
            try (Stream<Path> files = Files.list(root.resolve(person))) {
                files.filter(f -> Files.isRegularFile(f) && ImageFiles.isImageFile(f))
                        .map(f -> f.getFileName().toString()).sorted()
                        .forEach(f -> keys.add(person + "/" + f));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no images of the selected persons in " + root);
        }
        return new PhotoSet(root, List.copyOf(keys));
    }

    public Path file(String key) {
        return root.resolve(key);
    }

    public long persons() {
        return keys.stream().map(LfwProtocol::personOf).distinct().count();
    }
}
