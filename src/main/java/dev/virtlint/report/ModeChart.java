package dev.virtlint.report;

import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.Prediction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The chart of one disk's five cache modes, as inline SVG: the p95 loss of each failure kind
 * against the write speed, the current and the recommended mode marked, with a table that says
 * the same in text. The figures are those {@code simulate} prints: speeds relative to the
 * current mode unless a host profile's measured costs give them a scale, losses with the
 * conditions they hold under.
 *
 * <p>Accessible text: the SVG has {@code role="img"} and {@code aria-labelledby} naming its
 * {@code <title>} and {@code <desc>}, the pattern the GitLab issue "Making SVG Accessible"
 * (gitlab-org/gitlab#18174) and biome's noSvgWithoutTitle rule
 * (https://biomejs.dev/linter/rules/no-svg-without-title/) describe; the table after it is the
 * text equivalent (WCAG 1.1.1, as the svg-img-alt rule pages quote it).
 */
final class ModeChart {

    /** One failure kind as the chart draws it. */
    private record Kind(String name, String css, Function<Prediction, Loss> pick) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("QEMU crash", "qemu", p -> p.loss().qemuCrash()),
            new Kind("host crash", "host", p -> p.loss().hostCrash()),
            new Kind("host power loss", "power", p -> p.loss().powerLoss()));

    private static final int WIDTH = 700;
    private static final int LEFT = 78;
    private static final int PLOT_RIGHT = 540;
    private static final int PLOT_HEIGHT = 210;
    private static final int ZERO_BAND = 26;
    private static final int ROW = 13;

    private ModeChart() {
    }

    /**
     * What the chart shows of one disk.
     *
     * @param modes        the five presets' predictions, bounded as the basis says, in
     *                     {@code Preset} order
     * @param current      the disk as it is (as simulated: a guest without a flush feature runs
     *                     without a write cache)
     * @param recommended  the recommended mode's name, or null when there is no recommendation
     * @param basis        what the figures rest on
     * @param guestFlushes whether the guest was simulated as flushing
     * @param caveats      what the other modes' figures hold under that nothing else on the page
     *                     says (the qcow2 metadata they leave out), one note each
     */
    record Data(List<Prediction> modes, Prediction current, String recommended,
                Evidence.Basis basis, boolean guestFlushes, List<String> caveats) {

        Data {
            caveats = List.copyOf(caveats);
        }

        /** Data whose conditions are all said beside the chart (simulate's page). */
        Data(List<Prediction> modes, Prediction current, String recommended, Evidence.Basis basis,
             boolean guestFlushes) {
            this(modes, current, recommended, basis, guestFlushes, List.of());
        }

        /** The points: the presets, and the current mode after them when no preset is it. */
        List<Prediction> points() {
            List<Prediction> all = new ArrayList<>(modes);
            if (modes.stream().noneMatch(p -> p.cache().equals(current.cache()))) {
                all.add(current);
            }
            return all;
        }

        boolean inHostMemory() {
            return basis.inHostMemory() != null;
        }

        /** The x value of a prediction: MB/s on a measured scale, else relative to current. */
        double speed(Prediction p) {
            return basis.measured() ? p.writeMBps() : p.writeMBps() / current.writeMBps();
        }

        String speedText(Prediction p) {
            return basis.measured() ? EvidenceReport.mbps(p.writeMBps())
                    : EvidenceReport.ratio(p.writeMBps() / current.writeMBps());
        }

        String readText(Prediction p) {
            return basis.measured() ? EvidenceReport.mbps(p.readMBps())
                    : EvidenceReport.ratio(p.readMBps() / current.readMBps());
        }

        String mark(Prediction p) {
            boolean now = p.cache().equals(current.cache());
            boolean rec = p.cache().equals(recommended);
            return now && rec ? "current, recommended" : now ? "current" : rec ? "recommended" : "";
        }
    }

    /**
     * The figure: the SVG chart (or, where the simulator gives no figures to plot, an SVG that
     * says why), the table of its figures and the conditions they hold under.
     *
     * @param id    unique in the page, for the title and description the SVG names
     * @param title what the chart is of, e.g. {@code disk vdb of db01.xml}
     */
    static String figure(String id, String title, Data d) {
        StringBuilder out = new StringBuilder();
        out.append("<figure class=\"modes\">\n");
        out.append("<figcaption>").append(HtmlReport.escape("Predicted p95 loss per failure and "
                + (d.basis().measured() ? "write speed" : "relative write speed")
                + " under each cache mode: " + title)).append("</figcaption>\n");
        if (d.inHostMemory()) {
            out.append(unavailable(id, "Cache modes of " + title, List.of(
                    "No chart: a host crash or power loss loses everything written to this disk in"
                            + " every cache mode (" + d.basis().inHostMemory() + ").",
                    "Its speed is not modelled: the model prices a device's writes and flushes,"
                            + " and a file in host RAM has no device.")));
        } else {
            out.append(svg(id, "Cache modes of " + title, d));
        }
        out.append(table(d));
        List<String> notes = notes(d);
        if (!notes.isEmpty()) {
            out.append("<ul class=\"notes\">\n");
            for (String n : notes) {
                out.append("<li>").append(HtmlReport.escape(n)).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        out.append("</figure>\n");
        return out.toString();
    }

    /**
     * An SVG in place of a chart, saying why there is none: a chart of zeros would read as
     * "nothing is lost".
     */
    static String unavailable(String id, String title, List<String> reasons) {
        // SVG text does not wrap: lines of what fits the width at the message's size.
        List<String> why = new ArrayList<>();
        for (String r : reasons) {
            why.addAll(wrapped(r, 96));
        }
        int height = 30 + 18 * why.size();
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart none\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" aria-labelledby=\"").append(id).append("-t ").append(id)
                .append("-d\">\n");
        s.append("<title id=\"").append(id).append("-t\">").append(HtmlReport.escape(title))
                .append("</title>\n");
        s.append("<desc id=\"").append(id).append("-d\">").append(HtmlReport.escape(String.join(" ", reasons)))
                .append("</desc>\n");
        s.append("<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"").append(WIDTH - 1)
                .append("\" height=\"").append(height - 1).append("\"/>\n");
        int y = 24;
        for (String line : why) {
            s.append("<text class=\"message\" x=\"16\" y=\"").append(y).append("\">")
                    .append(HtmlReport.escape(line)).append("</text>\n");
            y += 18;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** {@code text} in lines of at most {@code width} characters, broken at spaces. */
    static List<String> wrapped(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static String svg(String id, String title, Data d) {
        List<Prediction> points = d.points();
        // Labels that would overlap go to another row above the plot.
        double[] xs = new double[points.size()];
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Prediction p : points) {
            lo = Math.min(lo, d.speed(p));
            hi = Math.max(hi, d.speed(p));
        }
        double[] range = padded(lo, hi);
        for (int i = 0; i < points.size(); i++) {
            xs[i] = xOf(d.speed(points.get(i)), range);
        }
        String[] labels = new String[points.size()];
        int[] rows = new int[points.size()];
        List<List<double[]>> taken = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            String mark = d.mark(points.get(i));
            labels[i] = points.get(i).cache() + (mark.isEmpty() ? "" : " (" + mark + ")");
            double half = labels[i].length() * 3.4 + 4;
            double from = Math.max(LEFT, Math.min(PLOT_RIGHT - 2 * half, xs[i] - half));
            int row = 0;
            while (true) {
                if (row == taken.size()) {
                    taken.add(new ArrayList<>());
                }
                boolean free = true;
                for (double[] span : taken.get(row)) {
                    if (from < span[1] && from + 2 * half > span[0]) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    break;
                }
                row++;
            }
            taken.get(row).add(new double[] {from, from + 2 * half});
            rows[i] = row;
        }
        int top = 12 + ROW * taken.size();
        int bottom = top + PLOT_HEIGHT;
        int height = bottom + 46;

        long least = Long.MAX_VALUE;
        long most = 0;
        for (Prediction p : points) {
            for (Kind k : KINDS) {
                long v = k.pick().apply(p).p95();
                if (v > 0) {
                    least = Math.min(least, v);
                    most = Math.max(most, v);
                }
            }
        }
        int logTop = top + 8;
        int logBottom = bottom - ZERO_BAND - 8;
        int lowDecade = most == 0 ? 0 : (int) Math.floor(Math.log10(least));
        int highDecade = most == 0 ? 0 : (int) Math.ceil(Math.log10(most));
        if (highDecade <= lowDecade) {
            highDecade = lowDecade + 1;
        }

        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" aria-labelledby=\"").append(id).append("-t ").append(id)
                .append("-d\">\n");
        s.append("<title id=\"").append(id).append("-t\">").append(HtmlReport.escape(title)).append("</title>\n");
        s.append("<desc id=\"").append(id).append("-d\">").append(HtmlReport.escape(description(d)))
                .append("</desc>\n");
        // The plot's frame, the break between the 0 B band and the log scale.
        s.append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(top)
                .append("\" width=\"").append(PLOT_RIGHT - LEFT).append("\" height=\"")
                .append(PLOT_HEIGHT).append("\"/>\n");
        int zeroY = bottom - ZERO_BAND / 2;
        line(s, "break", LEFT, bottom - ZERO_BAND, PLOT_RIGHT, bottom - ZERO_BAND);
        text(s, "tick y", LEFT - 6, zeroY + 4, "0 B");
        if (most == 0) {
            text(s, "empty", (LEFT + PLOT_RIGHT) / 2.0, (logTop + logBottom) / 2.0,
                    "no mode loses acknowledged writes (p95)");
        } else {
            for (int k = lowDecade; k <= highDecade; k++) {
                double y = yOf(k, lowDecade, highDecade, logTop, logBottom);
                line(s, "grid", LEFT, y, PLOT_RIGHT, y);
                text(s, "tick y", LEFT - 6, y + 4, EvidenceReport.bytes(pow10(k)));
            }
        }
        for (double t : ticks(range)) {
            double x = xOf(t, range);
            line(s, "grid", x, top, x, bottom);
            String label = new BigDecimal(Double.toString(t)).stripTrailingZeros().toPlainString();
            text(s, "tick x", x, bottom + 15, d.basis().measured() ? label : label + "x");
        }
        text(s, "axis x", (LEFT + PLOT_RIGHT) / 2.0, bottom + 34, d.basis().measured()
                ? "write MB/s at the scale measured on " + d.basis().measuredOn() + " (log scale)"
                : "write speed relative to the current mode, " + d.current().cache()
                + " (log scale; the model's absolute scale is assumed)");
        s.append("<text class=\"axis y\" transform=\"translate(14 ").append(fixed((top + bottom) / 2.0))
                .append(") rotate(-90)\">acknowledged bytes lost, p95 (log)</text>\n");

        for (int i = 0; i < points.size(); i++) {
            Prediction p = points.get(i);
            String mark = d.mark(p);
            String css = "mode" + (mark.contains("current") ? " current" : "")
                    + (mark.contains("recommended") ? " recommended" : "");
            s.append("<g class=\"").append(css).append("\" data-mode=\"").append(HtmlReport.escape(p.cache()))
                    .append("\">\n");
            // Row 0 is next to the plot; a guide runs down the plot at the mode's speed.
            double labelY = top - 4 - ROW * rows[i];
            line(s, "guide", xs[i], top, xs[i], bottom);
            text(s, "label", Math.max(LEFT + labels[i].length() * 3.4,
                    Math.min(PLOT_RIGHT - labels[i].length() * 3.4, xs[i])), labelY, labels[i]);
            for (int k = 0; k < KINDS.size(); k++) {
                Kind kind = KINDS.get(k);
                long lost = kind.pick().apply(p).p95();
                double x = xs[i] + (k - 1) * 6;
                double y = lost == 0 ? zeroY
                        : yOf(Math.log10(lost), lowDecade, highDecade, logTop, logBottom);
                String tip = p.cache() + ": " + kind.name() + " loses " + EvidenceReport.bytes(lost)
                        + " (p95), writes " + d.speedText(p);
                marker(s, kind.css(), x, y, tip);
            }
            s.append("</g>\n");
        }
        legend(s, top);
        s.append("</svg>\n");
        return s.toString();
    }

    /** The legend, right of the plot: the failure kinds' markers and the marks. */
    private static void legend(StringBuilder s, int top) {
        double x = PLOT_RIGHT + 16;
        double y = top + 12;
        s.append("<g class=\"legend\">\n");
        for (Kind k : KINDS) {
            marker(s, k.css(), x + 5, y - 4, null);
            text(s, "key", x + 16, y, k.name());
            y += 18;
        }
        line(s, "guide current", x, y - 4, x + 12, y - 4);
        text(s, "key", x + 16, y, "current mode");
        y += 18;
        line(s, "guide recommended", x, y - 4, x + 12, y - 4);
        text(s, "key", x + 16, y, "recommended");
        y += 18;
        text(s, "key small", x, y, "markers side by side");
        text(s, "key small", x, y + 12, "belong to one mode");
        s.append("</g>\n");
    }

    private static void marker(StringBuilder s, String css, double x, double y, String tip) {
        String close = tip == null ? "/>\n" : "><title>" + HtmlReport.escape(tip) + "</title></";
        switch (css) {
            case "qemu" -> s.append("<circle class=\"qemu\" cx=\"").append(fixed(x)).append("\" cy=\"")
                    .append(fixed(y)).append("\" r=\"4\"").append(close).append(tip == null ? "" : "circle>\n");
            case "host" -> s.append("<rect class=\"host\" x=\"").append(fixed(x - 3.5)).append("\" y=\"")
                    .append(fixed(y - 3.5)).append("\" width=\"7\" height=\"7\"").append(close)
                    .append(tip == null ? "" : "rect>\n");
            default -> s.append("<path class=\"power\" d=\"M").append(fixed(x)).append(' ')
                    .append(fixed(y - 4.5)).append(" L").append(fixed(x + 4.5)).append(' ')
                    .append(fixed(y + 3.5)).append(" L").append(fixed(x - 4.5)).append(' ')
                    .append(fixed(y + 3.5)).append(" Z\"").append(close).append(tip == null ? "" : "path>\n");
        }
    }

    private static void line(StringBuilder s, String css, double x1, double y1, double x2, double y2) {
        s.append("<line class=\"").append(css).append("\" x1=\"").append(fixed(x1)).append("\" y1=\"")
                .append(fixed(y1)).append("\" x2=\"").append(fixed(x2)).append("\" y2=\"").append(fixed(y2))
                .append("\"/>\n");
    }

    private static void text(StringBuilder s, String css, double x, double y, String text) {
        s.append("<text class=\"").append(css).append("\" x=\"").append(fixed(x)).append("\" y=\"")
                .append(fixed(y)).append("\">").append(HtmlReport.escape(text)).append("</text>\n");
    }

    /** The chart in a sentence, for a screen reader (the table after it has the figures). */
    private static String description(Data d) {
        StringBuilder s = new StringBuilder("Scatter chart of the cache modes: ");
        List<String> parts = new ArrayList<>();
        for (Prediction p : d.points()) {
            String mark = d.mark(p);
            parts.add(p.cache() + (mark.isEmpty() ? "" : " (" + mark + ")") + " writes "
                    + d.speedText(p) + ", loses " + EvidenceReport.bytes(p.loss().qemuCrash().p95())
                    + " on a QEMU crash, " + EvidenceReport.bytes(p.loss().hostCrash().p95())
                    + " on a host crash, " + EvidenceReport.bytes(p.loss().powerLoss().p95())
                    + " on a power loss");
        }
        return s.append(String.join("; ", parts)).append(". The table below lists the same figures.")
                .toString();
    }

    /** The table of the chart's figures, as {@code simulate} prints them. */
    static String table(Data d) {
        boolean inRam = d.inHostMemory();
        StringBuilder s = new StringBuilder("<table class=\"figures\">\n<thead><tr><th scope=\"col\">mode</th>"
                + "<th scope=\"col\"></th><th scope=\"col\">lost p95: QEMU crash</th>"
                + "<th scope=\"col\">host crash</th><th scope=\"col\">power loss</th>");
        String unit = d.basis().measured() ? " MB/s" : " (relative)";
        s.append("<th scope=\"col\">writes").append(unit).append("</th><th scope=\"col\">reads")
                .append(unit).append("</th><th scope=\"col\">host RAM duplicate</th></tr></thead>\n<tbody>\n");
        for (Prediction p : d.points()) {
            String mark = d.mark(p);
            s.append("<tr").append(mark.isEmpty() ? "" : " class=\"" + (mark.contains("current")
                    ? "current" : "recommended") + "\"").append("><th scope=\"row\">")
                    .append(HtmlReport.escape(p.cache())).append("</th><td>").append(HtmlReport.escape(mark))
                    .append("</td>");
            cell(s, EvidenceReport.bytes(p.loss().qemuCrash().p95()));
            cell(s, inRam ? "everything" : EvidenceReport.bytes(p.loss().hostCrash().p95()));
            cell(s, inRam ? "everything" : EvidenceReport.bytes(p.loss().powerLoss().p95()));
            cell(s, inRam ? "not modelled" : d.speedText(p));
            cell(s, inRam ? "not modelled" : d.readText(p));
            cell(s, EvidenceReport.bytes(p.hostCacheDuplicateBytes()));
            s.append("</tr>\n");
        }
        return s.append("</tbody>\n</table>\n").toString();
    }

    private static void cell(StringBuilder s, String text) {
        s.append("<td>").append(HtmlReport.escape(text)).append("</td>");
    }

    /** What the figures hold under, and where the largest loss of each mode comes from. */
    static List<String> notes(Data d) {
        List<String> notes = new ArrayList<>();
        Evidence.Basis b = d.basis();
        String acknowledged = d.guestFlushes() ? "fsync-acknowledged" : "completed";
        notes.add("lost: " + acknowledged + " writes a failure loses, p95 of the simulated failure"
                + " instants; the disk is simulated under the " + (b.workload() == null ? "given"
                : b.workload().id()) + " workload");
        if (d.inHostMemory()) {
            notes.add("everything: " + b.inHostMemory() + (b.inHostMemoryAssumed()
                    ? " (assumed: no host profile says)" : "") + ", which keeps files in host RAM only"
                    + (b.diskBytes() >= 0 ? "; at most " + EvidenceReport.bytes(b.diskBytes()) : ""));
            return notes;
        }
        boolean zero = false;
        for (Prediction p : d.points()) {
            zero |= p.loss().hostCrash().p95() == 0 || p.loss().powerLoss().p95() == 0;
            long most = Math.max(p.loss().qemuCrash().p95(),
                    Math.max(p.loss().hostCrash().p95(), p.loss().powerLoss().p95()));
            Loss worst = p.loss().powerLoss().p95() == most ? p.loss().powerLoss()
                    : p.loss().hostCrash().p95() == most ? p.loss().hostCrash() : p.loss().qemuCrash();
            String source = EvidenceReport.lossSource(worst, b);
            if (source != null) {
                notes.add(p.cache() + ": " + EvidenceReport.bytes(most) + ": " + source);
            }
        }
        if (zero && b.flushes() == Evidence.StorageFlushes.UNKNOWN) {
            notes.add("0 B lost holds only if the host storage honours flushes (no host profile says"
                    + " it does)");
        }
        if (b.diskBytes() >= 0) {
            notes.add("losses and host RAM duplicate at most " + EvidenceReport.bytes(b.diskBytes())
                    + ": " + b.diskSource());
        }
        notes.add(b.measured() ? "MB/s at the scale measured on " + b.measuredOn() + ": the workload's"
                + " access pattern run as fast as it goes; the losses take its offered rate"
                : "speeds are ratios to the current mode: the model's absolute scale is assumed"
                + " (probe --bench measures a host's)");
        notes.addAll(d.caveats());
        return notes;
    }

    /** The speed range, widened so that close points do not fill the whole axis. */
    private static double[] padded(double lo, double hi) {
        double a = lo / 1.4;
        double b = hi * 1.4;
        if (b / a < 6) {
            double mid = Math.sqrt(a * b);
            a = mid / Math.sqrt(6);
            b = mid * Math.sqrt(6);
        }
        return new double[] {a, b};
    }

    private static double xOf(double v, double[] range) {
        double f = (Math.log10(v) - Math.log10(range[0])) / (Math.log10(range[1]) - Math.log10(range[0]));
        return LEFT + f * (PLOT_RIGHT - LEFT);
    }

    private static double yOf(double decade, int low, int high, int top, int bottom) {
        return bottom - (decade - low) / (high - low) * (bottom - top);
    }

    /** 1, 2 and 5 times the powers of ten within the range; fewer when they would crowd it. */
    private static List<Double> ticks(double[] range) {
        int from = (int) Math.floor(Math.log10(range[0]));
        int to = (int) Math.ceil(Math.log10(range[1]));
        List<Double> all = new ArrayList<>();
        List<Double> decades = new ArrayList<>();
        for (int k = from; k <= to; k++) {
            for (int m : new int[] {1, 2, 5}) {
                double t = new BigDecimal(m).scaleByPowerOfTen(k).doubleValue();
                if (t >= range[0] && t <= range[1]) {
                    all.add(t);
                    if (m == 1) {
                        decades.add(t);
                    }
                }
            }
        }
        return all.size() > 9 && decades.size() >= 2 ? decades : all;
    }

    private static long pow10(int k) {
        long v = 1;
        for (int i = 0; i < k; i++) {
            v *= 10;
        }
        return v;
    }

    private static String fixed(double v) {
        return EvidenceReport.fixed(v, 1);
    }
}
