package io.faceroster.training;

import io.faceroster.dataset.FaceFolder;
import io.faceroster.dataset.PersonSelection;
import io.faceroster.employee.SupportSetBuilder;
import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A retraining job's data: the enrolled employees with two or more face chips (named by pseudonym, never by id)
 * plus, when asked, the base data set's persons (detected and aligned as uploads are), and their split into
 * persons to train on and persons held out for validation and the threshold.
 *
 * @param persons     chips per person name, in reading order
 * @param employeeIds the enrolled employees among them (an erasure of one of them cancels the job)
 */
record TrainingData(Map<String, List<FaceChip>> persons, Set<String> employeeIds) {

    /** Training persons and held-out validation persons (sorted by name). */
    record Split(List<String> trainingNames, List<List<FaceChip>> training, List<String> validationNames,
                 Map<String, List<FaceChip>> validation) {
    }

    static TrainingData read(SupportSetBuilder gallery, Pseudonyms pseudonyms, FaceDetector detector,
                             Path baseDataset, boolean includeBaseDataset) throws IOException {
        Map<String, List<FaceChip>> persons = new LinkedHashMap<>();
        Set<String> employeeIds = new HashSet<>();
        gallery.chipsByEmployee().forEach((employee, chips) -> {
            if (chips.size() >= 2) {
                // Pseudonyms, not employee ids, go into job rows and model metadata (which outlive an erasure).
                persons.put(pseudonyms.of(employee), chips);
                employeeIds.add(employee);
            }
        });
        if (includeBaseDataset) {
            // Base photos are detected and aligned as uploads are (a photo without a face is taken whole).
            DatasetPhotoAligner alignment = new DatasetPhotoAligner(detector, DatasetPhotoAligner.FaceChoice.LARGEST);
            for (FaceFolder.Person p : FaceFolder.load(baseDataset, PersonSelection.ALL, alignment).persons()) {
                if (p.chips().size() >= 2) {
                    persons.put("base:" + p.name(), p.chips());
                }
            }
        }
        return new TrainingData(persons, Set.copyOf(employeeIds));
    }

    /**
     * Shuffles the persons with {@code seed} and holds out {@code fraction} of them, at least
     * {@code minValidationPersons} (what a threshold needs, see {@link ThresholdCheck}) as long as two are left to
     * train on.
     */
    Split split(long seed, double fraction, int minValidationPersons) {
        List<String> names = new ArrayList<>(persons.keySet());
        Collections.shuffle(names, new Random(seed));
        int validationCount = Math.min(names.size() - 2, Math.max(Math.max(2, minValidationPersons),
                (int) Math.round(names.size() * fraction)));
        List<String> validationNames = new ArrayList<>(names.subList(0, validationCount));
        Collections.sort(validationNames);
        Map<String, List<FaceChip>> validation = new LinkedHashMap<>();
        validationNames.forEach(n -> validation.put(n, persons.get(n)));
        List<String> trainingNames = List.copyOf(names.subList(validationCount, names.size()));
        return new Split(trainingNames, trainingNames.stream().map(persons::get).toList(), validationNames,
                validation);
    }
}
