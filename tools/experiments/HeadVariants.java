import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.faceroster.evaluation.*;
import io.faceroster.model.*;
import io.faceroster.training.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;

/** Head experiments: train on LFW training persons A (SHA-1 4..b), validate on B (c..f). */
public class HeadVariants {
    static int digit(String name) throws Exception { return Character.digit(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(name.getBytes("UTF-8"))).charAt(0), 16); }
    public static void main(String[] a) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        Map<String, double[]> all = EmbeddingsFile.read(Path.of(a[0]));
        Path backbone = Path.of(a[1]);
        Map<String, List<float[]>> train = new TreeMap<>();
        List<double[]> valEmb = new ArrayList<>(); List<String> valLab = new ArrayList<>();
        for (var e : all.entrySet()) {
            String person = e.getKey().substring(0, e.getKey().indexOf('/'));
            int d = digit(person);
            if (d <= 3) continue;
            if (d <= 11) train.computeIfAbsent(person, k -> new ArrayList<>()).add(toF(e.getValue()));
            else { valEmb.add(e.getValue()); valLab.add(person); }
        }
        System.out.printf("train persons %d (%d images), validation persons %d images %d%n", train.size(), train.values().stream().mapToInt(List::size).sum(), new HashSet<>(valLab).size(), valEmb.size());
        report("raw", valEmb, valLab);
        report("l2", l2(valEmb), valLab);
        for (int i = 2; i < a.length; i++) {
            // spec: epochs:lr:temp:wd
            String[] f = a[i].split(":");
            TowerArchitecture arch = TowerArchitecture.dlibResnet(TowerArchitecture.DLIB_HEAD);
            TrainingOptions base = TrainingOptions.headRecipe(arch, 0);
            TrainingOptions o = new TrainingOptions(arch, base.sampling(), Integer.parseInt(f[0]), base.batchSize(), 0, base.imagesPerPerson(), Float.parseFloat(f[2]), Float.parseFloat(f[1]), true, Float.parseFloat(f[3]), 0, base.augmentation());
            long t0 = System.nanoTime();
            var r = new HeadTrainer(o, Device.cpu(), backbone, false).trainOnDescriptors(new ArrayList<>(train.values()), p -> {}, () -> false);
            double secs = (System.nanoTime() - t0) / 1e9;
            try (r) {
                SequentialBlock head = (SequentialBlock) r.trainingModel().getBlock();
                List<double[]> out = new ArrayList<>();
                try (NDManager m = r.trainingModel().getNDManager().newSubManager()) {
                    float[] x = new float[valEmb.size() * 128];
                    for (int k = 0; k < valEmb.size(); k++) for (int j = 0; j < 128; j++) x[k * 128 + j] = (float) valEmb.get(k)[j];
                    float[] y = head.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(valEmb.size(), 128))), false).singletonOrThrow().toFloatArray();
                    int dim = y.length / valEmb.size();
                    for (int k = 0; k < valEmb.size(); k++) { double[] v = new double[dim]; for (int j = 0; j < dim; j++) v[j] = y[k * dim + j]; out.add(v); }
                }
                report(a[i] + String.format(" (%.0fs, loss %.3f->%.3f)", secs, r.lossCurve().get(0), r.finalLoss()), out, valLab);
            }
        }
    }
    static float[] toF(double[] d) { float[] f = new float[d.length]; for (int i = 0; i < d.length; i++) f[i] = (float) d[i]; return f; }
    static List<double[]> l2(List<double[]> in) { List<double[]> o = new ArrayList<>(); for (double[] v : in) { double n = 0; for (double x : v) n += x * x; n = Math.sqrt(n); double[] w = v.clone(); for (int i = 0; i < w.length; i++) w[i] /= n; o.add(w); } return o; }
    static void report(String name, List<double[]> emb, List<String> labels) {
        PersonGroups g = PersonGroups.of(emb.toArray(double[][]::new), labels);
        var v = PairVerification.of(g);
        var q = OpenSetIdentification.run(g, new OpenSetIdentification.Rules(200, 50, 3, OpenSetIdentification.EnrolmentOrder.BY_PERSON), 12345);
        var op = q.atFar(0.01);
        System.out.printf("%-40s AUC %.4f EER %.4f TAR@1%% %.4f TAR@0.1%% %.4f  open-set rank1 %.4f DIR@FAR1%% %.4f (t %.4f)%n", name, v.rocAuc(), v.eer(), v.tarAtFar1pct(), v.tarAtFar01pct(), q.rank1(), op.dir(), op.threshold());
    }
}
