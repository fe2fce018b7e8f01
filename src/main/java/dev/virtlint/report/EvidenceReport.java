package dev.virtlint.report;

import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import dev.virtlint.sim.Prediction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** How the simulator's figures read: as JSON objects, and as the two lines under a finding. */
public final class EvidenceReport {

    private EvidenceReport() {
    }

    /** {@code {"workload":..,"current":P,"recommended":P,"assumptions":[..]}}. */
    public static Map<String, Object> json(Evidence e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", e.workload());
        m.put("guestFlushes", e.guestFlushes());
        m.put("current", json(e.current()));
        m.put("recommended", json(e.recommended()));
        m.put("assumptions", e.assumptions());
        if (!e.notes().isEmpty()) {
            m.put("notes", e.notes());
        }
        return m;
    }

    /** One prediction: cache, loss per failure kind (p50, p95, max), MB/s, duplicated host cache. */
    public static Map<String, Object> json(Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cache", p.cache());
        Map<String, Object> loss = new LinkedHashMap<>();
        loss.put("qemuCrash", json(p.loss().qemuCrash()));
        loss.put("hostCrash", json(p.loss().hostCrash()));
        loss.put("powerLoss", json(p.loss().powerLoss()));
        m.put("loss", loss);
        m.put("writeMBps", p.writeMBps());
        m.put("readMBps", p.readMBps());
        m.put("hostCacheDuplicateBytes", p.hostCacheDuplicateBytes());
        return m;
    }

    private static Map<String, Object> json(Loss l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", l.p50());
        m.put("p95", l.p95());
        m.put("max", l.max());
        return m;
    }

    private record Kind(String name, Function<Losses, Loss> pick) {
    }

    private static final List<Kind> KINDS = List.of(new Kind("host power loss", Losses::powerLoss),
            new Kind("host crash", Losses::hostCrash), new Kind("QEMU crash", Losses::qemuCrash));

    /**
     * The two lines design.md shows under a finding: what a failure loses now and with the
     * recommendation, then the speed with the recommendation; then one line per note of the
     * evidence ({@link Evidence#notes}), and the fix on a line of its own, when there is one.
     *
     * @param setting how a cache mode reads in this file, e.g. {@code cache='none'}
     * @param fix     the fix as its line reads ({@code fix: X}, {@link FixLine#label}), or null
     */
    static List<String> lines(Evidence e, Function<String, String> setting, String fix) {
        Prediction now = e.current();
        Prediction rec = e.recommended();
        boolean same = now.cache().equals(rec.cache());
        String with = setting.apply(rec.cache());
        String acknowledged = e.guestFlushes() ? "fsync-acknowledged writes" : "completed writes";

        Kind worst = KINDS.get(0);
        long gap = -1;
        for (Kind k : KINDS) {
            long d = k.pick().apply(now.loss()).p95() - k.pick().apply(rec.loss()).p95();
            if (d > gap) {
                gap = d;
                worst = k;
            }
        }
        String first;
        long nowDup = now.hostCacheDuplicateBytes();
        long recDup = rec.hostCacheDuplicateBytes();
        if (gap <= 0 && nowDup != recDup) {
            first = "predicted host RAM caching what the guest caches too: " + bytes(nowDup) + ", " + bytes(recDup)
                    + " with " + with;
        } else {
            if (gap <= 0) {
                for (Kind k : KINDS) {
                    if (k.pick().apply(now.loss()).p95() > worst.pick().apply(now.loss()).p95()) {
                        worst = k;
                    }
                }
            }
            long lost = worst.pick().apply(now.loss()).p95();
            first = "predicted on " + worst.name() + ": " + bytes(lost) + " of " + acknowledged + " lost (p95)"
                    + (same ? "" : ", " + bytes(worst.pick().apply(rec.loss()).p95()) + " with " + with);
        }
        String second;
        if (same) {
            second = "speed with " + with + ": " + mbps(now.writeMBps()) + " writes, " + mbps(now.readMBps())
                    + " reads (" + e.workload() + " workload)";
        } else {
            second = "speed with " + with + ": " + ratio(e.writeRatio()) + " writes, " + ratio(e.readRatio())
                    + " reads (" + e.workload() + " workload)";
        }
        List<String> all = new java.util.ArrayList<>(List.of(first, second));
        for (String note : e.notes()) {
            all.add("note: " + note);
        }
        if (fix != null) {
            all.add(fix);
        }
        return all;
    }

    /** Bytes in binary units with two significant decimals at most: {@code 0 B}, {@code 64 MiB}, {@code 1.2 GiB}. */
    public static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0 || v >= 100) {
            return Math.round(v) + " " + units[u];
        }
        String s = fixed(v, v >= 10 ? 0 : 1);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " " + units[u];
    }

    static String ratio(double r) {
        return fixed(r, r >= 10 ? 0 : r >= 0.1 ? 2 : 3) + "x";
    }

    static String mbps(double v) {
        return fixed(v, v >= 100 ? 0 : 1) + " MB/s";
    }

    /**
     * {@code v} with {@code digits} decimals, as {@code String.format(Locale.ROOT, "%.Nf", v)} writes
     * it (the shortest decimal that reads back as {@code v}, rounded half up), without a Formatter:
     * its first use sets up locale data, ~10 ms of a one-file lint.
     */
    static String fixed(double v, int digits) {
        if (!Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%." + digits + "f", v);
        }
        String s = new BigDecimal(Double.toString(v)).setScale(digits, RoundingMode.HALF_UP).toPlainString();
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        return negative && !s.startsWith("-") ? "-" + s : s;
    }
}
