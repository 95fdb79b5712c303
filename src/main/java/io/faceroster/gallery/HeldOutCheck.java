package io.faceroster.gallery;

import io.faceroster.identify.SupportSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Does the gallery's estimate hold for faces it has never seen? Persons of a labelled face set are split at
 * random into employees (enrolled with a few photos each, the rest of their photos held out) and strangers
 * (never enrolled). The threshold for a target FAR is calibrated on the enrolled gallery alone, exactly as
 * {@code POST /api/v1/admin/calibration} does; then the held-out photos are matched as identify and verify
 * would: strangers' photos against every prototype (FAR per identify attempt), employees' held-out photos
 * against their own prototype (TAR) and against all (identified = DIR). Repeated over random splits, it says
 * how often the measurement fell inside the estimate's 95% interval.
 */
public final class HeldOutCheck {

    /** One photo's embedding; {@code enrolable}: it passed the enrolment gate (one face, size, quality). */
    public record Image(String key, float[] embedding, boolean enrolable) {
    }

    public record Person(String name, List<Image> images) {
    }

    public record Options(int shots, double enrolledFraction, double targetFar, int repetitions, long seed,
                          int threads) {
    }

    public record Measured(CalibrationMaths.Rate far, CalibrationMaths.Rate tar, CalibrationMaths.Rate dir) {
    }

    /** One split: the gallery's estimate at its calibrated threshold, and what the held-out photos measured. */
    public record Repetition(int index, int employees, int strangers, int enrolledPhotos, int genuineQueries,
                             int impostorQueries, double threshold, CalibrationReport.Figures estimate,
                             Measured measured, boolean measuredFarInEstimateInterval,
                             boolean estimatedFarInMeasuredInterval, boolean measuredTarInEstimateInterval,
                             boolean estimatedTarInMeasuredInterval) {
    }

    public record Summary(int repetitions, double meanThreshold, double meanEstimatedFar, double pooledMeasuredFar,
                          double meanEstimatedTar, double pooledMeasuredTar, double measuredFarInEstimateInterval,
                          double estimatedFarInMeasuredInterval, double measuredTarInEstimateInterval,
                          double estimatedTarInMeasuredInterval) {
    }

    public record Result(Summary summary, List<Repetition> repetitions) {
    }

    private HeldOutCheck() {
    }

    public static Result run(List<Person> persons, Options o) {
        List<Repetition> reps = new ArrayList<>();
        for (int r = 0; r < o.repetitions(); r++) {
            reps.add(repetition(persons, o, r));
        }
        int n = reps.size();
        long farK = 0;
        long farN = 0;
        long tarK = 0;
        long tarN = 0;
        for (Repetition r : reps) {
            farK += r.measured().far().count();
            farN += r.measured().far().of();
            tarK += r.measured().tar().count();
            tarN += r.measured().tar().of();
        }
        Summary s = new Summary(n, reps.stream().mapToDouble(Repetition::threshold).average().orElse(Double.NaN),
                reps.stream().mapToDouble(r -> r.estimate().far().estimate()).average().orElse(Double.NaN),
                farN == 0 ? Double.NaN : (double) farK / farN,
                reps.stream().mapToDouble(r -> r.estimate().tar().estimate()).average().orElse(Double.NaN),
                tarN == 0 ? Double.NaN : (double) tarK / tarN,
                share(reps, Repetition::measuredFarInEstimateInterval),
                share(reps, Repetition::estimatedFarInMeasuredInterval),
                share(reps, Repetition::measuredTarInEstimateInterval),
                share(reps, Repetition::estimatedTarInMeasuredInterval));
        return new Result(s, reps);
    }

    private static double share(List<Repetition> reps, java.util.function.Predicate<Repetition> p) {
        return reps.isEmpty() ? Double.NaN : (double) reps.stream().filter(p).count() / reps.size();
    }

    private static Repetition repetition(List<Person> persons, Options o, int index) {
        Random rng = new Random(o.seed() * 1_000_003L + index);
        List<Person> order = new ArrayList<>(persons);
        Collections.shuffle(order, rng);
        int wanted = (int) Math.round(o.enrolledFraction() * order.size());
        int dim = persons.get(0).images().get(0).embedding().length;
        SupportSet gallery = new SupportSet("held-out-check", dim);
        List<float[]> genuine = new ArrayList<>();
        List<String> genuineOwner = new ArrayList<>();
        List<float[]> strangers = new ArrayList<>();
        List<Integer> strangerOf = new ArrayList<>();
        List<Integer> genuineOf = new ArrayList<>();
        int employees = 0;
        int strangerPersons = 0;
        int enrolledPhotos = 0;
        for (Person p : order) {
            List<Image> enrolable = new ArrayList<>(p.images().stream().filter(Image::enrolable).toList());
            if (employees < wanted && enrolable.size() >= 2) {
                Collections.shuffle(enrolable, rng);
                List<Image> shots = enrolable.subList(0, Math.min(o.shots(), enrolable.size() - 1));
                List<SupportSet.Shot> embedded = new ArrayList<>();
                for (Image i : shots) {
                    embedded.add(new SupportSet.Shot(UUID.randomUUID(), i.embedding()));
                }
                gallery.add(p.name(), p.name(), embedded);
                enrolledPhotos += shots.size();
                for (Image i : p.images()) {
                    if (!shots.contains(i)) {
                        genuine.add(i.embedding());
                        genuineOwner.add(p.name());
                        genuineOf.add(employees);
                    }
                }
                employees++;
            } else {
                for (Image i : p.images()) {
                    strangers.add(i.embedding());
                    strangerOf.add(strangerPersons);
                }
                strangerPersons++;
            }
        }
        GalleryEvidence e = GalleryEvidence.of(gallery.snapshot(), o.threads(), Instant.now());
        double t = CalibrationMaths.thresholdForFar(e.impostorSorted(), o.targetFar());
        CalibrationReport.Figures estimate = CalibrationReport.figures(e, "far_" + CalibrationReport.percent(
                o.targetFar()), o.targetFar(), t);
        // Counted per person, so that the measurement's interval is clustered as the estimate's is.
        int[] falseAccepts = new int[strangerPersons];
        int[] strangerQueries = new int[strangerPersons];
        for (int i = 0; i < strangers.size(); i++) {
            strangerQueries[strangerOf.get(i)]++;
            if (gallery.nearest(strangers.get(i), 1).candidates().get(0).distance() <= t) {
                falseAccepts[strangerOf.get(i)]++;
            }
        }
        int[] accepted = new int[employees];
        int[] identified = new int[employees];
        int[] genuineQueries = new int[employees];
        for (int i = 0; i < genuine.size(); i++) {
            float[] q = genuine.get(i);
            int owner = genuineOf.get(i);
            genuineQueries[owner]++;
            if (gallery.distanceTo(genuineOwner.get(i), q).orElseThrow() <= t) {
                accepted[owner]++;
            }
            SupportSet.Candidate nearest = gallery.nearest(q, 1).candidates().get(0);
            if (nearest.employeeId().equals(genuineOwner.get(i)) && nearest.distance() <= t) {
                identified[owner]++;
            }
        }
        Measured m = new Measured(CalibrationMaths.clustered(falseAccepts, strangerQueries),
                CalibrationMaths.clustered(accepted, genuineQueries),
                CalibrationMaths.clustered(identified, genuineQueries));
        return new Repetition(index, employees, strangerPersons, enrolledPhotos, genuine.size(), strangers.size(), t,
                estimate, m, estimate.far().contains(m.far().estimate()), m.far().contains(estimate.far().estimate()),
                estimate.tar().contains(m.tar().estimate()), m.tar().contains(estimate.tar().estimate()));
    }
}
