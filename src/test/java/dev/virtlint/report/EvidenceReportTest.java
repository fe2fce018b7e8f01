package dev.virtlint.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import dev.virtlint.sim.Prediction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evidence lines under a finding, and the JSON shape issue 4 specifies. */
class EvidenceReportTest {

    private static final Loss ZERO = new Loss(0, 0, 0);

    private static Prediction p(String cache, long host, long power, double write, double read, long dup) {
        return new Prediction(cache, new Losses(ZERO, new Loss(host / 2, host, host), new Loss(power / 2, power, power)),
                write, read, dup);
    }

    private static String xml(String mode) {
        return "cache='" + mode + "'";
    }

    @Test
    void theFirstLineNamesTheFailureThatLosesMostAndTheSecondTheSpeedRatios() {
        Evidence e = new Evidence("database", true, p("unsafe", 100L << 20, 136L << 20, 400, 600, 1L << 30),
                p("none", 0, 0, 372, 588, 0), List.of());
        // 136 MiB at the database workload's 4 MB/s: 142,606,336 / 4e6 = 35.7 s.
        assertThat(EvidenceReport.lines(e, EvidenceReportTest::xml,
                "fix: cache='unsafe' -> cache='none'")).containsExactly(
                "predicted on host power loss: ~140 MB of fsync-acknowledged writes lost (p95, an upper bound: 36 s of"
                        + " writes at the assumed 4 MB/s database workload), 0 B with cache='none' if the"
                        + " host storage honours flushes",
                "speed with cache='none': 0.93x writes, 0.98x reads (database workload)",
                "fix: cache='unsafe' -> cache='none'");
    }

    @Test
    void whenLossesAreEqualTheFirstLineIsTheDuplicatedHostCache() {
        Evidence e = new Evidence("build", true, p("writeback", 0, 0, 100, 100, 2L << 30), p("none", 0, 0, 50, 80, 0),
                List.of());
        assertThat(EvidenceReport.lines(e, m -> "cache=" + m, null)).containsExactly(
                "predicted host RAM caching what the guest caches too: ~2.1 GB, 0 B with cache=none",
                "speed with cache=none: 0.50x writes, 0.80x reads (build workload)");
    }

    /** A basis with the model's default device cache: 64 MiB, destaged within 1 s. */
    private static Evidence.Basis device(Evidence e) {
        Evidence.Basis b = e.basis();
        return new Evidence.Basis(b.workload(), null, -1, null, -1, null, 64L << 20, 1.0,
                Evidence.StorageFlushes.UNKNOWN, null, false, -1, -1, null, -1, null, null);
    }

    @Test
    void aGuestThatDoesNotFlushLosesCompletedWritesAndAnUnchangedModeGivesNoAssumedSpeeds() {
        // 1 s of the database workload's 4 MB/s waits in the device's cache: its destage time,
        // not the 64 MiB cache, bounds it, and the line names the assumed cache, not "1 s of writes".
        Evidence e = new Evidence("database", false, p("none", 0, 4_000_000, 23.6, 557, 0),
                p("none", 0, 4_000_000, 23.6, 557, 0), List.of());
        assertThat(EvidenceReport.lines(e.on(device(e)), EvidenceReportTest::xml,
                "fix: add discard='unmap'")).containsExactly(
                "predicted on host power loss: 4.0 MB of completed writes lost (p95: writes in the"
                        + " device's volatile write cache, assumed 64 MiB and destaged within 1.0 s, 1.0 s"
                        + " of the assumed 4 MB/s database workload)",
                "fix: add discard='unmap'");
    }

    @Test
    void aFixThatLosesMoreShowsTheLossNotTheHostCache() {
        // none -> writeback for a guest that does not flush: more host cache, and a larger loss,
        // which is what the first line says.
        Evidence e = new Evidence("database", false, p("none", 0, 0, 50, 80, 0),
                p("writeback", 100_000_000, 140_000_000, 100, 100, 2L << 30), List.of());
        assertThat(EvidenceReport.lines(e, m -> "cache=" + m, null).get(0)).isEqualTo(
                "predicted on host power loss: 0 B of completed writes lost if the host storage honours"
                        + " flushes, 140 MB (an upper bound: 35 s of writes at the assumed 4 MB/s database workload) with"
                        + " cache=writeback");
    }

    @Test
    void aZeroLossNowAndWithTheFixIsSaidOnce() {
        Evidence e = new Evidence("database", true, p("directsync", 0, 0, 50, 80, 0),
                p("none", 0, 0, 100, 100, 0), List.of());
        assertThat(EvidenceReport.lines(e, m -> "cache=" + m, null).get(0)).isEqualTo(
                "predicted on host power loss: 0 B of fsync-acknowledged writes lost now and with"
                        + " cache=none, if the host storage honours flushes");
    }

    @Test
    void theAssumptionsLineLeavesOutWhatTheDisksOtherLinesSay() {
        Evidence e = new Evidence("database", true, p("writeback", 0, 0, 100, 100, 2L << 30),
                p("none", 0, 0, 50, 80, 0), List.of("guest memory 2 GiB",
                "assumes the NFS server exports /mnt/nfs with sync", "a raw image (no format given)"));
        List<String> lines = EvidenceReport.lines(e, m -> "cache=" + m, "fix: X",
                List.of("assumes the NFS server exports /mnt/nfs with sync"));
        assertThat(lines).contains("assumes: guest memory 2 GiB; a raw image (no format given)");
        assertThat(EvidenceReport.lines(e, m -> "cache=" + m, null)).contains("assumes: guest"
                + " memory 2 GiB; the NFS server exports /mnt/nfs with sync; a raw image (no format"
                + " given)");
    }

    @Test
    void jsonHasTheSpecifiedShape() {
        Evidence e = new Evidence("database", true, p("unsafe", 10, 20, 400, 600, 7), p("none", 0, 0, 372, 588, 0),
                List.of("guest memory 2 GiB"));
        // The writer indents; compare without the layout.
        String json = Json.write(EvidenceReport.json(e)).replaceAll("\\s*\n\\s*", "").replace("\": ", "\":");
        assertThat(json).isEqualTo("{\"workload\":\"database\",\"guestFlushes\":true,\"current\":{\"cache\":\"unsafe\","
                + "\"loss\":{\"qemuCrash\":{\"p50\":0,\"p95\":0,\"max\":0},\"hostCrash\":{\"p50\":5,\"p95\":10,\"max\":10},"
                + "\"powerLoss\":{\"p50\":10,\"p95\":20,\"max\":20}},\"writeMBps\":400.0,\"readMBps\":600.0,"
                + "\"hostCacheDuplicateBytes\":7},\"recommended\":{\"cache\":\"none\",\"loss\":{\"qemuCrash\":{\"p50\":0,"
                + "\"p95\":0,\"max\":0},\"hostCrash\":{\"p50\":0,\"p95\":0,\"max\":0},\"powerLoss\":{\"p50\":0,\"p95\":0,"
                + "\"max\":0}},\"writeMBps\":372.0,\"readMBps\":588.0,\"hostCacheDuplicateBytes\":0},"
                + "\"assumptions\":[\"guest memory 2 GiB\"],\"speedScale\":\"assumed\","
                + "\"storageFlushes\":\"unknown\"}");
        assertThat(EvidenceReport.json(e.current())).containsKeys("cache", "loss", "writeMBps", "readMBps",
                "hostCacheDuplicateBytes");
        @SuppressWarnings("unchecked")
        Map<String, Object> loss = (Map<String, Object>) EvidenceReport.json(e.current()).get("loss");
        assertThat(loss).containsOnlyKeys("qemuCrash", "hostCrash", "powerLoss");
    }

    @Test
    void bytesReadLikeSizes() {
        // Decimal units, two significant figures, ~ when rounding changed the value.
        assertThat(EvidenceReport.bytes(0)).isEqualTo("0 B");
        assertThat(EvidenceReport.bytes(512)).isEqualTo("512 B");
        assertThat(EvidenceReport.bytes(999)).isEqualTo("999 B");
        assertThat(EvidenceReport.bytes(1023)).isEqualTo("~1.0 kB");
        assertThat(EvidenceReport.bytes(4_000_000)).isEqualTo("4.0 MB");
        assertThat(EvidenceReport.bytes(64L << 20)).isEqualTo("~67 MB");
        assertThat(EvidenceReport.bytes(1288490189L)).isEqualTo("~1.3 GB");
        assertThat(EvidenceReport.bytes(136L << 20)).isEqualTo("~140 MB");
        assertThat(EvidenceReport.bytes(15L << 30)).isEqualTo("~16 GB");
        assertThat(EvidenceReport.bytes(999_500)).isEqualTo("~1.0 MB");
    }
    @Test
    void fixedDecimalsAreWhatTheFormatterWrites() {
        java.util.Random random = new java.util.Random(42);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 0.125, 0.15, 0.05, 2.5, 1.005, 9.95, 9.96,
                99.95, 0.0005, 1e-7, 123456.789, 1e20, 3.999999999, -1.25, 0.1 + 0.2));
        for (int i = 0; i < 5000; i++) {
            values.add(Math.pow(10, random.nextDouble() * 8 - 4));
            values.add(random.nextInt(100000) / 1000.0 + 0.0005);
        }
        for (double v : values) {
            for (int digits = 0; digits <= 3; digits++) {
                assertThat(EvidenceReport.fixed(v, digits)).as("%s with %d decimals", v, digits)
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%." + digits + "f", v));
            }
        }
    }
}
