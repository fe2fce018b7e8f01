package dev.virtlint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.virtlint.model.CacheMode.Preset;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Bench} against a scripted host ({@link FakeBenchHost}): no qemu-img runs here. */
class BenchTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private Bench.Result run(FakeBenchHost host, double seconds, int repeats) throws Exception {
        return new Bench(dir, seconds, repeats, new PrintWriter(err), host).run();
    }

    private static boolean bench(List<String> c) {
        return c.size() > 1 && c.get(0).equals("qemu-img") && c.get(1).equals("bench");
    }

    private static boolean create(List<String> c) {
        return c.size() > 1 && c.get(0).equals("qemu-img") && c.get(1).equals("create");
    }

    private static boolean warmUp(List<String> c) {
        return bench(c) && !c.contains("-w") && c.get(c.indexOf("-s") + 1).equals(String.valueOf(FakeBenchHost.WARM_SIZE));
    }

    /**
     * 5 MB/s everywhere, so that the pilot (64 requests, at least 13 ms at 5 MB/s, against a quarter
     * of 0.1 s) is one run: the runs after it are 1.0, 0.5 and 2.0 times that, and 0.9 for the
     * fourth and fifth. The median of 5.0, 2.5 and 10 is 5.0, the spread (10 - 2.5) / 5 = 1.5;
     * with five runs (5, 2.5, 10, 4.5, 4.5) the median is 4.5 and the spread 7.5 / 4.5.
     */
    @Test
    void eachCellIsTheMedianOfItsRunsWithTheirSpread() throws Exception {
        double[] noise = {1, 1.0, 0.5, 2.0, 0.9};
        Bench.Result three = run(new FakeBenchHost((c, m) -> 5.0, noise, true), 0.1, 3);
        assertThat(three.samples()).hasSize(Bench.cells().size() * Preset.values().length);
        for (Bench.Sample s : three.samples()) {
            assertThat(s.mbps()).hasSize(3);
            assertThat(s.median()).isCloseTo(5.0, within(1e-4));
            assertThat(s.spread()).isCloseTo(1.5, within(1e-4));
        }
        Bench.Result five = run(new FakeBenchHost((c, m) -> 5.0, noise, true), 0.1, 5);
        for (Bench.Sample s : five.samples()) {
            assertThat(s.median()).isCloseTo(4.5, within(1e-4));
            assertThat(s.spread()).isCloseTo(7.5 / 4.5, within(1e-4));
        }
        assertThat(three.notes()).anySatisfy(n -> assertThat(n).matches(
                " {2}qd64-raw/sparse +writeback +\\d+ +5\\.0 +150\\.0% .*"));
    }

    /**
     * The request count follows the duration asked for: a 4 KiB cell at 5 MB/s for 0.1 s is
     * 0.1 x 5e6 / 4096 = 122 requests; at 40 MB/s the pilot grows (64, then 512 requests) and the
     * count is 0.1 x 40e6 / 4096 = 977. Fewer than 16 requests are never run.
     */
    @Test
    void theRequestCountIsChosenByDuration() throws Exception {
        Bench.Result slow = run(new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true), 0.1, 3);
        Bench.Result fast = run(new FakeBenchHost((c, m) -> 40.0, new double[] {1}, true), 0.1, 3);
        for (var pair : List.of(Map.entry(slow, 5.0), Map.entry(fast, 40.0))) {
            for (Bench.Sample s : pair.getKey().samples()) {
                int size = s.cell().row().pattern().size();
                long expected = Math.max(16, Math.round(0.1 * pair.getValue() * 1e6 / size));
                assertThat((double) s.count()).as(s.cell().label()).isCloseTo(expected, within(expected * 0.01 + 1));
            }
        }
    }

    /** Both allocations of every write pattern; reads on an image whose data was written. */
    @Test
    void writeRowsAreMeasuredSparseAndPreallocatedAndReadsOnWrittenData() throws Exception {
        FakeBenchHost host = new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true);
        Bench.Result r = run(host, 0.1, 3);
        List<String> labels = r.samples().stream().map(s -> s.cell().label()).distinct().toList();
        assertThat(labels).containsExactly("qd64-raw/sparse", "qd64-raw/falloc", "qd64-qcow2/sparse",
                "qd64-qcow2/falloc", "flush-raw/sparse", "flush-raw/falloc", "flush-qcow2/sparse",
                "flush-qcow2/falloc", "stream-raw/sparse", "stream-raw/falloc", "warm-read/data");
        for (Bench.Sample s : r.samples()) {
            assertThat(s.cell().row().pattern().preallocated()).isEqualTo(!s.cell().allocation().equals("sparse"));
        }
        List<List<String>> creates = host.log.stream().filter(BenchTest::create).toList();
        assertThat(creates).anySatisfy(c -> assertThat(c).containsSequence("-o", "preallocation=falloc"));
        assertThat(creates).anySatisfy(c -> assertThat(c).containsSequence("-o", "preallocation=full"));
        assertThat(creates).anySatisfy(c -> assertThat(c).doesNotContain("-o"));
    }

    /** Every run, pilot or not, follows sync and a drop of the page cache, after the image's creation. */
    @Test
    void syncAndADropOfThePageCacheComeBeforeEveryRun() throws Exception {
        FakeBenchHost host = new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true);
        run(host, 0.1, 3);
        List<String> seen = new ArrayList<>();
        boolean created = false;
        for (List<String> c : host.log) {
            if (create(c)) {
                created = true;
                seen.clear();
            } else if (c.equals(List.of("sync")) || c.equals(List.of("[drop_caches]"))) {
                seen.add(c.get(0));
            } else if (bench(c) && !warmUp(c)) {
                assertThat(created).isTrue();
                assertThat(seen).as("before %s", c).containsSubsequence("sync", "[drop_caches]");
                seen.clear();
            }
        }
        assertThat(err.toString()).doesNotContain("drop_caches");
    }

    /** Not permitted: said once, and each image's pages dropped with dd iflag=nocache instead. */
    @Test
    void withoutRootTheImagesPagesAreDroppedWithDd() throws Exception {
        FakeBenchHost host = new FakeBenchHost((c, m) -> 5.0, new double[] {1}, false);
        Bench.Result r = run(host, 0.1, 3);
        assertThat(err.toString().split("cannot write /proc/sys/vm/drop_caches", -1)).hasSize(2);
        assertThat(host.log.stream().filter(c -> c.equals(List.of("[drop_caches]")))).hasSize(1);
        List<String> previous = null;
        for (List<String> c : host.log) {
            if (bench(c) && !warmUp(c)) {
                String image = c.get(c.size() - 1);
                assertThat(previous).as("before %s", c).isIn(
                        List.of("dd", "if=" + image, "iflag=nocache", "count=0", "status=none"),
                        // a read run's warm-up comes after the drop
                        null);
            }
            if (!warmUp(c)) {
                previous = c;
            }
        }
        assertThat(r.notes().get(0)).contains("dd iflag=nocache");
    }

    /**
     * A read row is warmed by reading its whole image (256 MiB in 1 MiB requests) before each run,
     * and nothing writes to that image after its creation.
     */
    @Test
    void readRowsAreWarmedByReadingNotByWriting() throws Exception {
        FakeBenchHost host = new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true);
        run(host, 0.1, 3);
        String image = null;
        List<String> last = null;
        int reads = 0;
        for (List<String> c : host.log) {
            if (create(c)) {
                image = c.contains("preallocation=full") ? c.get(c.size() - 2) : null;
            } else if (image != null && bench(c)) {
                assertThat(c).as("a run on the read row's image").doesNotContain("-w");
                if (!warmUp(c)) {
                    assertThat(last).as("before %s", c).isNotNull();
                    assertThat(warmUp(last)).isTrue();
                    assertThat(last).containsSequence("-t", "writeback").containsSequence("-c", "256")
                            .endsWith(image);
                    reads++;
                }
                last = c;
            }
        }
        assertThat(reads).isGreaterThanOrEqualTo(Preset.values().length * 4);
    }

    /** Measurements the built-in costs produce fit them: no cell missed, no cost out of range. */
    @Test
    void measurementsTheModelProducesFitWithoutProblems() throws Exception {
        Bench.Result r = run(FakeBenchHost.model("", Preset.WRITEBACK, 1), 0.1, 3);
        assertThat(r.problems()).isEmpty();
        assertThat(r.notes()).noneMatch(n -> n.startsWith("WARNING"));
    }

    /** One cell ten times slower than any costs allow: the fit misses it by more than 2x and names it. */
    @Test
    void aCellTheFitMissesByMoreThanTwiceIsNamed() throws Exception {
        Bench.Result r = run(FakeBenchHost.model("stream-raw/falloc", Preset.NONE, 0.05), 0.1, 3);
        assertThat(r.problems()).anySatisfy(p -> assertThat(p)
                .matches("the fit misses stream-raw/falloc none: measured [0-9.]+ MB/s, fitted [0-9.]+ MB/s \\([0-9.]+x\\)"));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("WARNING: the fit misses stream-raw/falloc none"));
        for (String p : r.problems()) {
            if (p.startsWith("the fit misses")) {
                String[] f = p.replaceAll(".*measured ([0-9.]+) MB/s, fitted ([0-9.]+) MB/s.*", "$1 $2").split(" ");
                double ratio = Double.parseDouble(f[1]) / Double.parseDouble(f[0]);
                assertThat(Math.max(ratio, 1 / ratio)).isGreaterThan(Bench.MISS_FACTOR * 0.99);
            }
        }
    }

    /**
     * A device rate (or copy rate) above ten times the fastest O_DIRECT (buffered) median is
     * flagged, one at 2x it is not; a fit that is exact flags no miss.
     */
    @Test
    void costsNoMeasurementSupportsAreFlagged() {
        DeviceCosts builtIn = DeviceCosts.builtIn();
        List<Bench.Sample> samples = new ArrayList<>();
        for (Bench.Cell cell : Bench.cells()) {
            for (Preset mode : Preset.values()) {
                samples.add(new Bench.Sample(cell, mode, 100, List.of(cell.row().speed(mode, builtIn))));
            }
        }
        double fastestDirect = samples.stream().filter(s -> s.mode().explicitMode().direct())
                .mapToDouble(Bench.Sample::median).max().orElseThrow();
        double fastestBuffered = samples.stream().filter(s -> !s.mode().explicitMode().direct())
                .mapToDouble(Bench.Sample::median).max().orElseThrow();
        double[] v = builtIn.values();
        v[4] = 2 * fastestDirect;
        v[1] = 2 * fastestBuffered;
        assertThat(Bench.problems(samples, DeviceCosts.of(v)).stream().filter(p -> p.contains("rate measured")))
                .isEmpty();
        v[4] = 1.94e14;
        assertThat(Bench.problems(samples, DeviceCosts.of(v))).anySatisfy(p -> assertThat(p)
                .startsWith("device-mbps 194000000000000 is above 10x the fastest O_DIRECT rate measured"));
        v[4] = 2 * fastestDirect;
        v[1] = 11 * fastestBuffered;
        assertThat(Bench.problems(samples, DeviceCosts.of(v))).anySatisfy(p -> assertThat(p)
                .startsWith("copy-mbps").contains("buffered rate measured"));
        assertThat(Bench.problems(samples, builtIn)).isEmpty();
    }

    /**
     * A mode's ratio to writeback pairs the runs of a round: 10, 20, 40 MB/s against writeback's 5,
     * 40, 20 is 2, 0.5, 2 round by round, median 2, where the medians alone (20 and 20) say 1.
     */
    @Test
    void theMeasuredRatioIsTheMedianOfEachRoundsRatio() {
        Bench.Cell cell = Bench.cells().get(0);
        Bench.Sample none = new Bench.Sample(cell, Preset.NONE, 16, List.of(10.0, 20.0, 40.0));
        Bench.Sample wb = new Bench.Sample(cell, Preset.WRITEBACK, 16, List.of(5.0, 40.0, 20.0));
        assertThat(none.ratioTo(wb)).isEqualTo(2.0);
        assertThat(none.median() / wb.median()).isEqualTo(1.0);
    }

    /** A load average above the processors is said on stderr and in the notes; below, nothing. */
    @Test
    void aBusyHostIsSaid() throws Exception {
        FakeBenchHost busy = new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true);
        busy.load = 7.5;
        Bench.Result r = run(busy, 0.1, 3);
        assertThat(err.toString()).contains("warning: the host was busy (load average 7.50 on 2 processors)");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("WARNING: the host was busy"));
        assertThat(r.notes().get(1)).isEqualTo("Load average (1 min, /proc/loadavg) 7.50 at the start,"
                + " 7.50 at the end, on 2 processors.");
        Bench.Result idle = run(new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true), 0.1, 3);
        assertThat(idle.notes()).noneMatch(n -> n.contains("busy"));
    }

    @Test
    void fewerThanThreeRunsAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Bench(dir, 0.1, 2, new PrintWriter(err),
                new FakeBenchHost((c, m) -> 5.0, new double[] {1}, true))).isInstanceOf(IllegalArgumentException.class);
    }
}
