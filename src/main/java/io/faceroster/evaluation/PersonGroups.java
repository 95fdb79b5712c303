package io.faceroster.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeddings grouped by person, any number of images each: {@code rows[c]} are the rows of person c's images
 * in {@code embeddings}, in canonical order; every row belongs to exactly one person. Persons are numbered in
 * order of first appearance.
 */
public record PersonGroups(double[][] embeddings, int[][] rows) {

    public PersonGroups {
        if (embeddings.length == 0) {
            throw new IllegalArgumentException("no embeddings to evaluate");
        }
        int dim = embeddings[0].length;
        for (double[] row : embeddings) {
            if (row.length != dim) {
                throw new IllegalArgumentException("embeddings of different dimensions: " + dim + " and " + row.length);
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("embeddings contain NaN or infinity");
                }
            }
        }
        boolean[] seen = new boolean[embeddings.length];
        int covered = 0;
        for (int[] group : rows) {
            for (int r : group) {
                if (r < 0 || r >= embeddings.length || seen[r]) {
                    throw new IllegalArgumentException("row " + r + " is not in exactly one person's group");
                }
                seen[r] = true;
                covered++;
            }
        }
        if (covered != embeddings.length) {
            throw new IllegalArgumentException((embeddings.length - covered) + " embeddings belong to no person");
        }
    }

    /** Groups rows by their person label. */
    public static PersonGroups of(double[][] embeddings, List<String> labels) {
        if (labels.size() != embeddings.length) {
            throw new IllegalArgumentException(labels.size() + " labels for " + embeddings.length + " embeddings");
        }
        Map<String, List<Integer>> byPerson = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byPerson.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        int[][] rows = byPerson.values().stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        return new PersonGroups(embeddings, rows);
    }

    public int persons() {
        return rows.length;
    }

    public int images() {
        return embeddings.length;
    }

    public int dimension() {
        return embeddings[0].length;
    }

    /** The persons with more than {@code shots} images: they can give a support set and still have a query. */
    public int[] eligible(int shots) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < rows.length; c++) {
            if (rows[c].length > shots) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The person of each row. */
    public int[] personOfRow() {
        int[] person = new int[embeddings.length];
        for (int c = 0; c < rows.length; c++) {
            for (int r : rows[c]) {
                person[r] = c;
            }
        }
        return person;
    }
}
