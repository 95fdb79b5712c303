import ai.djl.Device;
import ai.djl.Model;
import io.faceroster.dataset.*;
import io.faceroster.imaging.*;
import io.faceroster.model.*;
import java.nio.file.*;
import java.util.*;

/** Tunes the dlib template on LFW persons: verification over all pairs for template variants. */
public class TemplateVariants {
    public static void main(String[] a) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        Path modelDir = Path.of(a[0]);
        String persons = a[1];
        int limit = Integer.parseInt(a[2]);
        List<String> variants = Arrays.asList(a).subList(3, a.length);
        FaceFolder folder;
        long t0 = System.nanoTime();
        try (Alignment al = new Alignment(Path.of("models/detector/face_detection_front_128x128_barracuda.onnx"), Alignment.FaceChoice.NEAREST_CENTRE)) {
            folder = FaceFolder.load(Path.of("../shared/data/lfw"), PersonSelection.parse(persons), al);
            System.out.println("misses " + al.misses() + " load " + (System.nanoTime() - t0) / 1e9 + " s");
        }
        List<FaceChip> chips = new ArrayList<>(); List<Integer> labels = new ArrayList<>();
        int pi = 0;
        for (var p : folder.persons()) { if (pi >= limit) break; for (var c : p.chips()) { chips.add(c); labels.add(pi); } pi++; }
        System.out.println(chips.size() + " chips of " + pi + " persons");
        ModelMetadata meta = ModelDirectory.readMetadata(modelDir);
        {
            for (String v : variants) {
                String[] f = v.split(":");
                List<String> pts = f[0].equals("eem") ? List.of("eye1", "eye2", "mouth") : f[0].equals("ee") ? List.of("eye1", "eye2") : List.of("eye1", "eye2", "nose", "mouth");
                var base = TowerArchitecture.DLIB_TEMPLATE;
                List<Landmarks.Point> pos = new ArrayList<>();
                for (String n : pts) pos.add(base.positions().get(base.points().indexOf(n)));
                var t = new TowerArchitecture.FaceTemplate(pts, pos).zoomed(Double.parseDouble(f[1]), 75, 75);
                var arch = meta.architecture().withTemplate(t);
                boolean flip = v.contains("flip");
                if (flip) {
                    List<String> layers = new ArrayList<>();
                    layers.add("flipcat"); layers.addAll(arch.backbone()); layers.add("flipmean"); layers.addAll(arch.head());
                    arch = new TowerArchitecture(arch.name(), arch.inputWidth(), arch.inputHeight(), arch.normalisation(), layers, List.of(), arch.colour(), arch.template(), arch.backboneLayers() + 2);
                }
                Model model = ModelDirectory.loadWithHead(modelDir, meta, arch, Device.cpu());
                var m2 = new ModelMetadata(meta.version(), arch, meta.embeddingDimension(), meta.threshold(), meta.calibration(), meta.training(), meta.evaluation(), meta.createdAt(), meta.backbone());
                EmbeddingService svc = EmbeddingService.wrap(model, m2);
                long s = System.nanoTime();
                List<float[]> emb = new ArrayList<>();
                for (int i = 0; i < chips.size(); i += 16) emb.addAll(svc.embedBatch(chips.subList(i, Math.min(chips.size(), i + 16))));
                boolean l2 = f.length > 2 && f[2].equals("l2");
                if (l2) for (float[] e : emb) { double n = 0; for (float x : e) n += x * x; n = Math.sqrt(n); for (int k = 0; k < e.length; k++) e[k] /= n; }
                double secs = (System.nanoTime() - s) / 1e9;
                report(v, emb, labels, secs);
                model.close();
            }
        }
    }

    static void report(String v, List<float[]> emb, List<Integer> labels, double secs) {
        int n = emb.size();
        double[] gen = new double[n * 40]; int g = 0;
        double[] imp = new double[(int) ((long) n * (n - 1) / 2)]; int im = 0;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
            float[] x = emb.get(i), y = emb.get(j); double d = 0;
            for (int k = 0; k < x.length; k++) { double t = x[k] - y[k]; d += t * t; }
            d = Math.sqrt(d);
            if (labels.get(i).equals(labels.get(j))) { if (g == gen.length) gen = Arrays.copyOf(gen, g * 2); gen[g++] = d; } else imp[im++] = d;
        }
        gen = Arrays.copyOf(gen, g); imp = Arrays.copyOf(imp, im);
        Arrays.sort(gen); Arrays.sort(imp);
        // EER: scan thresholds at genuine distances
        double eer = 1; 
        for (int i = 0; i < g; i++) { double t = gen[i]; double frr = 1 - (i + 1.0) / g; double far = count(imp, t) / (double) im; if (far >= frr) { eer = (far + frr) / 2; break; } }
        double t01 = imp[(int) Math.floor(im * 0.001)]; double tar01 = count(gen, t01 - 1e-12) / (double) g;
        double t1 = imp[(int) Math.floor(im * 0.01)]; double tar1 = count(gen, t1 - 1e-12) / (double) g;
        System.out.printf("%-14s EER %.4f TAR@FAR1%% %.4f TAR@FAR0.1%% %.4f  genuine %d impostor %d  embed %.1f s (%.1f ms/face)  mean gen %.3f imp %.3f%n", v, eer, tar1, tar01, g, im, secs, secs * 1000 / n, mean(gen), mean(imp));
    }
    static int count(double[] sorted, double t) { int lo = 0, hi = sorted.length; while (lo < hi) { int mid = (lo + hi) >>> 1; if (sorted[mid] <= t) lo = mid + 1; else hi = mid; } return lo; }
    static double mean(double[] v) { double s = 0; for (double x : v) s += x; return s / v.length; }
}
