package io.quarkiverse.handoff.sample.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/**
 * The bench's plot: perceived first word (one line per profile) and the cloud-only first token (dashed), in
 * milliseconds over the simulated cloud latency. Drawn with java.awt on an off-screen image, no display needed.
 */
final class BenchPlot {

    static final int WIDTH = 960;
    static final int HEIGHT = 600;

    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] PROFILE_COLOURS = { new Color(0x1f77b4), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b) };
    private static final Color CLOUD_ONLY_COLOUR = new Color(0x444444);

    private BenchPlot() {
    }

    static void write(List<BenchCommand.Row> rows, Path file) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, rows);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java runtime: cannot write " + file);
        }
    }

    private static void draw(Graphics2D g, List<BenchCommand.Row> rows) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        Map<String, TreeMap<Double, Double>> perceived = new LinkedHashMap<>();
        TreeMap<Double, List<Double>> cloudOnlyRuns = new TreeMap<>();
        for (BenchCommand.Row row : rows) {
            perceived.computeIfAbsent(row.profile(), p -> new TreeMap<>()).put(row.latencySeconds(),
                    row.firstWordMs());
            cloudOnlyRuns.computeIfAbsent(row.latencySeconds(), l -> new ArrayList<>())
                    .add(row.cloudOnlyFirstTokenMs());
        }
        // the cloud-only baseline does not depend on the profile: one line, the median over the profiles' rows
        TreeMap<Double, Double> cloudOnly = new TreeMap<>();
        cloudOnlyRuns.forEach((latency, values) -> cloudOnly.put(latency,
                BenchCommand.median(values.stream().mapToDouble(Double::doubleValue).toArray())));

        double maxX = Math.max(cloudOnly.isEmpty() ? 1 : cloudOnly.lastKey(), 0.1);
        double maxY = 1;
        for (BenchCommand.Row row : rows) {
            maxY = Math.max(maxY, finite(row.firstWordMs()));
            maxY = Math.max(maxY, finite(row.cloudOnlyFirstTokenMs()));
        }
        double yStep = niceStep(maxY * 1.1 / 6);
        maxY = Math.ceil(maxY * 1.1 / yStep) * yStep;
        double xStep = niceStep(maxX / 8);
        maxX = Math.ceil(maxX / xStep) * xStep;
        Axes axes = new Axes(maxX, maxY);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        Stroke grid = new BasicStroke(1);
        for (double y = 0; y <= maxY + yStep / 2; y += yStep) {
            int py = axes.py(y);
            g.setColor(new Color(0xe6e6e6));
            g.setStroke(grid);
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.0f", y);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), py + metrics.getAscent() / 2 - 1);
        }
        for (double x = 0; x <= maxX + xStep / 2; x += xStep) {
            int px = axes.px(x);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = BenchCommand.seconds(Math.round(x * 100) / 100.0);
            g.drawString(label, px - metrics.stringWidth(label) / 2, HEIGHT - BOTTOM + 20);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
        String xLabel = "simulated cloud first-token latency (s)";
        g.drawString(xLabel, LEFT + (WIDTH - LEFT - RIGHT - metrics.stringWidth(xLabel)) / 2, HEIGHT - 20);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        String yLabel = "milliseconds until the first word";
        rotated.drawString(yLabel, -(TOP + (HEIGHT - TOP - BOTTOM + metrics.stringWidth(yLabel)) / 2), 25);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString("Perceived first word (handoff) vs cloud-only first token", LEFT, TOP - 25);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        List<String> legend = new ArrayList<>();
        List<Color> legendColours = new ArrayList<>();
        List<Boolean> legendDashed = new ArrayList<>();
        line(g, axes, cloudOnly, CLOUD_ONLY_COLOUR, true);
        legend.add("cloud only: first token");
        legendColours.add(CLOUD_ONLY_COLOUR);
        legendDashed.add(true);
        int i = 0;
        for (Map.Entry<String, TreeMap<Double, Double>> profile : perceived.entrySet()) {
            Color colour = PROFILE_COLOURS[i++ % PROFILE_COLOURS.length];
            line(g, axes, profile.getValue(), colour, false);
            legend.add("handoff, " + profile.getKey() + ": first word");
            legendColours.add(colour);
            legendDashed.add(false);
        }
        int lx = LEFT + 20;
        int ly = TOP + 20;
        for (int k = 0; k < legend.size(); k++) {
            g.setColor(legendColours.get(k));
            g.setStroke(stroke(legendDashed.get(k)));
            g.drawLine(lx, ly + k * 20 - 4, lx + 30, ly + k * 20 - 4);
            g.setColor(Color.BLACK);
            g.drawString(legend.get(k), lx + 40, ly + k * 20);
        }
    }

    private static void line(Graphics2D g, Axes axes, TreeMap<Double, Double> points, Color colour, boolean dashed) {
        g.setColor(colour);
        g.setStroke(stroke(dashed));
        int[] previous = null;
        for (Map.Entry<Double, Double> point : points.entrySet()) {
            if (Double.isNaN(point.getValue())) {
                previous = null;
                continue;
            }
            int[] p = { axes.px(point.getKey()), axes.py(point.getValue()) };
            if (previous != null) {
                g.drawLine(previous[0], previous[1], p[0], p[1]);
            }
            g.fillOval(p[0] - 4, p[1] - 4, 8, 8);
            previous = p;
        }
    }

    private static Stroke stroke(boolean dashed) {
        return dashed ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] { 9, 6 }, 0)
                : new BasicStroke(2.5f);
    }

    /** A step of 1, 2 or 5 times a power of ten, at least the raw step. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] { 1, 2, 5, 10 }) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double finite(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? 0 : value;
    }

    private record Axes(double maxX, double maxY) {
        int px(double x) {
            return LEFT + (int) Math.round(x / maxX * (WIDTH - LEFT - RIGHT));
        }

        int py(double y) {
            return HEIGHT - BOTTOM - (int) Math.round(y / maxY * (HEIGHT - TOP - BOTTOM));
        }
    }
}
