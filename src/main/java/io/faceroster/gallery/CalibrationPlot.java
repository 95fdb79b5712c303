package io.faceroster.gallery;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The calibration report as a picture, drawn with JFreeChart (headless): left, the genuine and impostor
 * distance distributions with the threshold in force and the model's default marked; right, the ROC curve
 * (TAR against FAR per identify attempt, FAR on a log scale) with the point of the threshold in force.
 * Written as SVG (JFreeSVG) or PNG.
 */
final class CalibrationPlot {

    static final int WIDTH = 1200;
    static final int HEIGHT = 480;
    private static final int BINS = 60;
    private static final int CURVE_POINTS = 300;
    private static final Color GENUINE = new Color(0x1f77b4);
    private static final Color IMPOSTOR = new Color(0xd62728);
    private static final Color THRESHOLD = new Color(0x2ca02c);

    private CalibrationPlot() {
    }

    static String svg(GalleryEvidence e, CalibrationReport report) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        draw(g, e, report);
        return g.getSVGDocument();
    }

    static byte[] png(GalleryEvidence e, CalibrationReport report) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        draw(g, e, report);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, image);
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void draw(Graphics2D g, GalleryEvidence e, CalibrationReport report) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        distributions(e, report).draw(g, new Rectangle2D.Double(0, 0, WIDTH / 2.0, HEIGHT));
        roc(e, report).draw(g, new Rectangle2D.Double(WIDTH / 2.0, 0, WIDTH / 2.0, HEIGHT));
    }

    private static JFreeChart distributions(GalleryEvidence e, CalibrationReport report) {
        double inForce = report.thresholdInForce().threshold();
        double max = Math.max(inForce, report.modelDefaultThreshold());
        float[] genuine = e.genuineSorted();
        float[] impostor = e.impostorSorted();
        if (genuine.length > 0) {
            max = Math.max(max, genuine[genuine.length - 1]);
        }
        if (impostor.length > 0) {
            max = Math.max(max, impostor[impostor.length - 1]);
        }
        max = max <= 0 ? 1 : max * 1.05;
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.SCALE_AREA_TO_1);
        if (genuine.length > 0) {
            data.addSeries("genuine (leave-one-out, " + genuine.length + ")", toDouble(genuine), BINS, 0, max);
        }
        if (impostor.length > 0) {
            data.addSeries("impostor (nearest other employee, " + impostor.length + ")", toDouble(impostor), BINS, 0, max);
        }
        XYBarRenderer bars = new XYBarRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, genuine.length > 0 ? withAlpha(GENUINE) : withAlpha(IMPOSTOR));
        bars.setSeriesPaint(1, withAlpha(IMPOSTOR));
        XYPlot plot = new XYPlot(data, new NumberAxis("distance"), new NumberAxis("density"), bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setRange(0, max);
        ValueMarker model = marker(report.modelDefaultThreshold(), "model default "
                + fmt(report.modelDefaultThreshold()), Color.GRAY, new float[] {6f, 4f});
        model.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        model.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addDomainMarker(model);
        plot.addDomainMarker(marker(inForce, "threshold in force " + fmt(inForce), THRESHOLD, null));
        return chart("Distances on the gallery (" + e.modelVersion() + ")", plot);
    }

    private static JFreeChart roc(GalleryEvidence e, CalibrationReport report) {
        float[] genuine = e.genuineSorted();
        float[] impostor = e.impostorSorted();
        XYSeries curve = new XYSeries("ROC", false);
        double floor = impostor.length == 0 ? 1e-4 : 0.5 / impostor.length;
        double max = 0;
        if (impostor.length > 0) {
            max = impostor[impostor.length - 1];
        }
        if (genuine.length > 0) {
            max = Math.max(max, genuine[genuine.length - 1]);
        }
        for (int i = 0; i <= CURVE_POINTS && impostor.length > 0 && genuine.length > 0; i++) {
            double t = max * i / CURVE_POINTS;
            double far = (double) CalibrationMaths.countAtMost(impostor, t) / impostor.length;
            double tar = (double) CalibrationMaths.countAtMost(genuine, t) / genuine.length;
            if (far > 0) {
                curve.add(far, tar);
            }
        }
        LogAxis farAxis = new LogAxis("FAR per identify attempt (log)");
        farAxis.setSmallestValue(floor);
        farAxis.setRange(Math.min(floor, 1e-3), 1);
        NumberAxis tarAxis = new NumberAxis("TAR (genuine accepted)");
        tarAxis.setRange(0, 1.02);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, GENUINE);
        line.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(curve), farAxis, tarAxis, line);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        CalibrationReport.Figures inForce = report.thresholds().get(0);
        double x = Math.max(floor, inForce.far().estimate());
        XYPointerAnnotation point = new XYPointerAnnotation("threshold in force " + fmt(inForce.threshold())
                + String.format(Locale.ROOT, ": FAR %.4f, TAR %.3f", inForce.far().estimate(), inForce.tar().estimate()),
                x, inForce.tar().estimate(), Math.PI * 0.75);
        point.setPaint(THRESHOLD);
        point.setArrowPaint(THRESHOLD);
        point.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        plot.addAnnotation(point);
        plot.addDomainMarker(marker(x, null, THRESHOLD, new float[] {3f, 3f}));
        return chart("ROC: genuine accepted against strangers accepted", plot);
    }

    private static ValueMarker marker(double value, String label, Color color, float[] dash) {
        ValueMarker m = new ValueMarker(value, color, dash == null ? new BasicStroke(2.5f)
                : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        if (label != null) {
            m.setLabel(label);
            m.setLabelPaint(color.darker());
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        }
        return m;
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        return chart;
    }

    private static Color withAlpha(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 150);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
