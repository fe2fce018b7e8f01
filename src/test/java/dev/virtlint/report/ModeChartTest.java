package dev.virtlint.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import dev.virtlint.sim.Prediction;
import dev.virtlint.sim.Workload;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ModeChartTest {

    private static Loss loss(long p95) {
        return new Loss(p95 / 2, p95, p95);
    }

    private static Prediction p(String cache, long host, long power, double write) {
        return new Prediction(cache, new Losses(loss(0), loss(host), loss(power)), write, 100, 0);
    }

    private static final List<Prediction> MODES = List.of(p("writeback", 50_000_000, 60_000_000, 200),
            p("none", 0, 2_000_000, 120), p("writethrough", 0, 0, 20), p("directsync", 0, 0, 40),
            p("unsafe", 130_000_000, 130_000_000, 400));

    private static final Evidence.Basis BASIS = Evidence.Basis.of(Workload.DATABASE);

    /** The markers of one mode's group: {kind, x, y}. */
    private static List<double[]> markers(String svg, String mode) {
        Matcher g = Pattern.compile("data-mode=\"" + mode + "\">(.*?)</g>", Pattern.DOTALL).matcher(svg);
        assertThat(g.find()).as(mode).isTrue();
        Matcher m = Pattern.compile("<circle class=\"qemu\" cx=\"([\\d.]+)\" cy=\"([\\d.]+)\"|"
                + "<rect class=\"host\" x=\"([\\d.]+)\" y=\"([\\d.]+)\"|"
                + "<path class=\"power\" d=\"M([\\d.]+) ([\\d.]+)").matcher(g.group(1));
        List<double[]> all = new java.util.ArrayList<>();
        while (m.find()) {
            for (int k = 0; k < 3; k++) {
                if (m.group(2 * k + 1) != null) {
                    all.add(new double[] {k, Double.parseDouble(m.group(2 * k + 1)),
                        Double.parseDouble(m.group(2 * k + 2))});
                }
            }
        }
        return all;
    }

    @Test
    void fasterModesAreFurtherRightAndLargerLossesHigher() {
        String svg = ModeChart.figure("c1", "disk vda", new ModeChart.Data(MODES, MODES.get(4), "none", BASIS,
                true));
        List<double[]> unsafe = markers(svg, "unsafe");
        List<double[]> writeback = markers(svg, "writeback");
        List<double[]> none = markers(svg, "none");
        List<double[]> writethrough = markers(svg, "writethrough");
        assertThat(unsafe).hasSize(3);
        // x: by write speed, 400 > 200 > 120 > 20
        assertThat(unsafe.get(1)[1]).isGreaterThan(writeback.get(1)[1]);
        assertThat(writeback.get(1)[1]).isGreaterThan(none.get(1)[1]);
        assertThat(none.get(1)[1]).isGreaterThan(writethrough.get(1)[1]);
        // y grows downwards: a larger loss is higher; every 0 B sits on one line below all others.
        assertThat(unsafe.get(1)[2]).isLessThan(writeback.get(1)[2]);
        assertThat(writeback.get(2)[2]).isLessThan(none.get(2)[2]);
        double zero = writethrough.get(0)[2];
        assertThat(none.get(0)[2]).isEqualTo(zero);
        assertThat(none.get(2)[2]).isLessThan(zero);
    }

    @Test
    void figureHasAnAccessibleNameTableAndLegend() {
        String fig = ModeChart.figure("c7", "disk vda", new ModeChart.Data(MODES, MODES.get(4), "none", BASIS,
                true));
        assertThat(fig).contains("role=\"img\"").contains("aria-labelledby=\"c7-t c7-d\"")
                .contains("<title id=\"c7-t\">Cache modes of disk vda</title>")
                .containsPattern("<desc id=\"c7-d\">[^<]*unsafe \\(current\\) writes 1\\.0x, loses 0 B on a QEMU"
                        + " crash, 130 MB on a host crash")
                .contains("<table class=\"figures\">").contains("<g class=\"legend\">")
                .contains(">host power loss</text>").contains(">recommended</text>")
                .contains("write speed relative to the current mode, unsafe");
        // 0 B on storage whose flushes nobody stated holds only if it honours them.
        assertThat(fig).contains("0 B lost holds only if the host storage honours flushes");
    }

    @Test
    void aCurrentModeNoPresetGivesIsPlottedBesideThem() {
        Prediction custom = p("custom", 1_000_000, 1_000_000, 300);
        String svg = ModeChart.figure("c1", "disk vda", new ModeChart.Data(MODES, custom, "none", BASIS, true));
        assertThat(svg).contains("<g class=\"mode current\" data-mode=\"custom\">");
        assertThat(Pattern.compile("<g class=\"mode").matcher(svg).results().count()).isEqualTo(6);
    }

    @Test
    void labelsThatWouldOverlapTakeAnotherRow() {
        // writeback and unsafe at the same speed: their labels cannot share a row.
        List<Prediction> modes = List.of(p("writeback", 0, 0, 400), p("none", 0, 0, 120),
                p("writethrough", 0, 0, 20), p("directsync", 0, 0, 40), p("unsafe", 0, 0, 400));
        String svg = ModeChart.figure("c1", "disk vda", new ModeChart.Data(modes, modes.get(0), null, BASIS,
                true));
        Matcher a = Pattern.compile("<text class=\"label\" x=\"[\\d.]+\" y=\"([\\d.]+)\">writeback")
                .matcher(svg);
        Matcher b = Pattern.compile("<text class=\"label\" x=\"[\\d.]+\" y=\"([\\d.]+)\">unsafe").matcher(svg);
        assertThat(a.find()).isTrue();
        assertThat(b.find()).isTrue();
        assertThat(a.group(1)).isNotEqualTo(b.group(1));
        // Nothing lost anywhere: the chart says it rather than drawing an empty scale.
        assertThat(svg).contains("no mode loses acknowledged writes (p95)");
    }

    @Test
    void longReasonsWrapWithinTheChart() {
        String svg = ModeChart.unavailable("c1", "t", List.of("word ".repeat(60).trim()));
        Matcher m = Pattern.compile("<text class=\"message\"[^>]*>([^<]*)</text>").matcher(svg);
        int lines = 0;
        while (m.find()) {
            lines++;
            assertThat(m.group(1).length()).isLessThanOrEqualTo(96);
        }
        assertThat(lines).isGreaterThan(1);
    }

    @Test
    void escapesMarkupAndCharactersHtmlDoesNotAllow() {
        assertThat(HtmlReport.escape("<a href=\"x\">'&'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(HtmlReport.escape("a\u0000b\u001bc\tn\nx")).isEqualTo("a\uFFFDb\uFFFDc\tn\nx");
        assertThat(HtmlReport.escape("\uFFFE\uFFFF")).isEqualTo("\uFFFD\uFFFD");
        assertThat(HtmlReport.escape("lone \uD800 high, lone \uDC00 low"))
                .isEqualTo("lone \uFFFD high, lone \uFFFD low");
        assertThat(HtmlReport.escape("caf\u00e9 \uD83D\uDE00")).isEqualTo("caf\u00e9 \uD83D\uDE00");
    }
}
