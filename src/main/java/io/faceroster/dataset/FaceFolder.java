package io.faceroster.dataset;

import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChips;
import io.faceroster.imaging.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A labelled face data set on disk: one sub-folder per person, images inside (PGM, PNG, JPEG, ...), each read
 * into a face chip when loaded. Persons and images are in natural order ({@code s2} before {@code s10},
 * {@code 2.pgm} before {@code 10.pgm}), which is the ORL evaluation protocol's canonical order.
 */
public record FaceFolder(List<Person> persons) {

    /** One person and the chips of their images, in canonical order. */
    public record Person(String name, List<Path> files, List<FaceChip> chips) {
    }

    /** Every image taken whole as a face crop ({@link FaceChips#whole}), as the service does with detect=false. */
    public static FaceFolder load(Path root) {
        return load(root, PersonSelection.ALL);
    }

    public static FaceFolder load(Path root, PersonSelection selection) {
        return load(root, selection, FaceChips::whole);
    }

    /** Each image turned into a chip by {@code chips} (for example detected and aligned). */
    public static FaceFolder load(Path root, PersonSelection selection, Function<BufferedImage, FaceChip> chips) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a folder of person folders: " + root);
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> personDirs = dirs.filter(Files::isDirectory)
                    .filter(d -> selection.includes(d.getFileName().toString()))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString(), NATURAL))
                    .toList();
            List<Person> persons = new ArrayList<>();
            for (Path dir : personDirs) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(ImageFiles::isImageFile)
                            .sorted(Comparator.comparing(p -> p.getFileName().toString(), NATURAL))
                            .toList();
                }
                if (files.isEmpty()) {
                    continue;
                }
                List<FaceChip> images = new ArrayList<>();
                for (Path f : files) {
                    images.add(chips.apply(ImageFiles.read(f)));
                }
                persons.add(new Person(dir.getFileName().toString(), files, images));
            }
            return new FaceFolder(List.copyOf(persons));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each person with the images of the same person in {@code other} appended (persons missing there kept as is). */
    public FaceFolder plus(FaceFolder other) {
        return new FaceFolder(persons.stream().map(p -> other.persons.stream()
                .filter(o -> o.name().equals(p.name())).findFirst()
                .map(o -> new Person(p.name(), concat(p.files(), o.files()), concat(p.chips(), o.chips())))
                .orElse(p)).toList());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    public FaceFolder select(PersonSelection selection) {
        return new FaceFolder(persons.stream().filter(p -> selection.includes(p.name())).toList());
    }

    public List<String> personNames() {
        return persons.stream().map(Person::name).toList();
    }

    public int imageCount() {
        return persons.stream().mapToInt(p -> p.chips().size()).sum();
    }

    private static final Pattern CHUNK = Pattern.compile("(\\d+)|(\\D+)");

    /** Compares names chunk by chunk, numbers numerically. */
    public static final Comparator<String> NATURAL = (a, b) -> {
        Matcher ma = CHUNK.matcher(a);
        Matcher mb = CHUNK.matcher(b);
        while (ma.find() && mb.find()) {
            String ca = ma.group();
            String cb = mb.group();
            int c = (ma.group(1) != null && mb.group(1) != null)
                    ? Long.compare(Long.parseLong(ca), Long.parseLong(cb)) : ca.compareTo(cb);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length(), b.length());
    };
}
