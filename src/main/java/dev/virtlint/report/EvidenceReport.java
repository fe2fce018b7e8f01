package dev.virtlint.report;

import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.Evidence.Basis;
import dev.virtlint.sim.HostModel;
import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import dev.virtlint.sim.Prediction;
import dev.virtlint.sim.Workload;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** How the simulator's figures read: as JSON objects, and as the lines under a finding. */
public final class EvidenceReport {

    private EvidenceReport() {
    }

    /**
     * {@code {"workload":..,"current":P,"recommended":P,"assumptions":[..]}}, then what the
     * figures rest on ({@link #basis}).
     */
    public static Map<String, Object> json(Evidence e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", e.workload());
        m.put("guestFlushes", e.guestFlushes());
        m.put("current", json(e.current(), e.basis()));
        m.put("recommended", json(e.recommended(), e.basis()));
        m.put("assumptions", e.assumptions());
        if (!e.notes().isEmpty()) {
            m.put("notes", e.notes());
        }
        basis(e.basis(), m);
        return m;
    }

    /**
     * What the figures rest on, added to a JSON object (JSON v1 gains these keys, none is
     * renamed): {@code speedScale} {@code assumed} (writeMBps and readMBps are on the built-in
     * costs' scale: compare them, do not quote them) or {@code measured} (a host profile's costs
     * from {@code probe --bench}, named by {@code speedMeasuredOn}); {@code storageFlushes}
     * {@code honoured} (a host profile says so), {@code not honoured} or {@code unknown} (a
     * loss of 0 holds only if they are); {@code inHostMemory} {@code stated} or {@code assumed}
     * for an image on tmpfs or ramfs, whose every byte a host crash or power loss loses (its
     * hostCrash and powerLoss are the disk's size where known, else null, and its speedScale
     * {@code not modelled});
     * {@code diskBytesAtMost}, the bound on the losses and the host cache where the disk's size is
     * known.
     */
    public static void basis(Basis b, Map<String, Object> m) {
        // The speed model knows a block device's costs, not a file in host RAM (tmpfs' fsync is
        // noop_fsync, mm/shmem.c): its figures for one are not modelled.
        m.put("speedScale", b.inHostMemory() != null ? "not modelled" : b.measured() ? "measured" : "assumed");
        if (b.measured()) {
            m.put("speedMeasuredOn", b.measuredOn());
        }
        m.put("storageFlushes", switch (b.flushes()) {
            case HONOURED -> "honoured";
            case IGNORED -> "not honoured";
            case UNKNOWN -> "unknown";
        });
        if (b.inHostMemory() != null) {
            m.put("inHostMemory", b.inHostMemoryAssumed() ? "assumed" : "stated");
        }
        if (b.diskBytes() >= 0) {
            m.put("diskBytesAtMost", b.diskBytes());
        }
    }

    /** One prediction: cache, loss per failure kind (p50, p95, max), MB/s, duplicated host cache. */
    public static Map<String, Object> json(Prediction p) {
        return json(p, null);
    }

    /**
     * {@link #json(Prediction)} on {@code b}: an image in host RAM loses everything written to it
     * on a host crash or power loss, which is its size where known ({@code diskBytesAtMost}), else
     * not a number (null): the simulated run's writes would read as a figure it is not.
     */
    public static Map<String, Object> json(Prediction p, Basis b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cache", p.cache());
        Map<String, Object> loss = new LinkedHashMap<>();
        boolean inRam = b != null && b.inHostMemory() != null;
        Object everything = inRam && b.diskBytes() >= 0
                ? json(new Loss(b.diskBytes(), b.diskBytes(), b.diskBytes())) : null;
        loss.put("qemuCrash", json(p.loss().qemuCrash()));
        loss.put("hostCrash", inRam ? everything : json(p.loss().hostCrash()));
        loss.put("powerLoss", inRam ? everything : json(p.loss().powerLoss()));
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
     * The lines design.md shows under a finding: what a failure loses now and with the
     * recommendation, and where that figure comes from; then the speed with the recommendation
     * relative to now (no line when the fix keeps the cache mode, unless the speeds are on a
     * measured scale); then, once per disk, what the figures assume that no line of the disk says
     * already; one line per note of the evidence ({@link Evidence#notes}); and the fix on a line
     * of its own, when there is one.
     *
     * @param setting how a cache mode reads in this file, e.g. {@code cache='none'}
     * @param fix     the fix as its line reads ({@code fix: X}, {@link FixLine#label}), or null
     * @param told    clauses the disk's other lines say (the fix's and the finding's
     *                assumptions), left out of the assumptions line
     */
    static List<String> lines(Evidence e, Function<String, String> setting, String fix) {
        return lines(e, setting, fix, List.of());
    }

    /** {@link #lines(Evidence, Function, String)}, leaving out of the assumptions what {@code told} says. */
    static List<String> lines(Evidence e, Function<String, String> setting, String fix,
                              Collection<String> told) {
        Prediction now = e.current();
        Prediction rec = e.recommended();
        Basis b = e.basis();
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
        // A recommendation that loses more than the current mode on some failure (and less on
        // none): that increase is the first line, not the host cache.
        Kind worse = null;
        long increase = 0;
        for (Kind k : KINDS) {
            long d = k.pick().apply(rec.loss()).p95() - k.pick().apply(now.loss()).p95();
            if (gap <= 0 && d > increase) {
                increase = d;
                worse = k;
            }
        }
        String first;
        long nowDup = now.hostCacheDuplicateBytes();
        long recDup = rec.hostCacheDuplicateBytes();
        if (b.inHostMemory() != null) {
            first = inHostMemory(b);
        } else if (worse == null && gap <= 0 && nowDup != recDup) {
            first = "predicted host RAM caching what the guest caches too: " + bytes(nowDup)
                    + dupSource(nowDup, b) + ", " + bytes(recDup) + dupSource(recDup, b)
                    + " with " + with;
        } else {
            if (worse != null) {
                worst = worse;
            } else if (gap <= 0) {
                for (Kind k : KINDS) {
                    if (k.pick().apply(now.loss()).p95() > worst.pick().apply(now.loss()).p95()) {
                        worst = k;
                    }
                }
            }
            Loss nowLoss = worst.pick().apply(now.loss());
            Loss recLoss = worst.pick().apply(rec.loss());
            long lost = nowLoss.p95();
            long then = recLoss.p95();
            String failures = failures(worst, now, rec, same);
            if (lost == 0 && (same || then == 0)) {
                first = "predicted on " + failures + ": 0 B of " + acknowledged + " lost"
                        + (same ? "" : " now and with " + with)
                        + (b.flushes() == Evidence.StorageFlushes.UNKNOWN
                        ? ", if the host storage honours flushes" : "");
            } else {
                String source = lossSource(nowLoss, b);
                first = "predicted on " + failures + ": " + bytes(lost) + " of " + acknowledged
                        + " lost" + (lost == 0 ? "" : " (p95" + (source == null ? ""
                        : source.startsWith("an upper bound: ") ? ", " + source : ": " + source) + ")")
                        + ifHonoured(lost, b);
                if (!same) {
                    String thenSource = lossSource(recLoss, b);
                    first += ", " + bytes(then) + (thenSource == null ? "" : " (" + thenSource + ")")
                            + " with " + with + ifHonoured(then, b);
                }
            }
        }
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        String workload = e.workload() + " workload";
        if (b.inHostMemory() != null) {
            if (!same) {
                // SpeedModel prices a block device's writes and flushes; on tmpfs or ramfs a
                // flush does nothing (noop_fsync, mm/shmem.c, fs/ramfs/file-mmu.c).
                all.add("speed with " + with + ": not modelled for an image in host RAM (the model"
                        + " prices a device's writes and flushes; " + b.inHostMemory().replaceFirst(".* is ", "")
                        + " has no device and its fsync does nothing)");
            }
        } else if (!same) {
            String scale = b.measured() ? "; " + measuredSpeeds(now, rec, with, b) : "";
            all.add("speed with " + with + ": " + ratio(e.writeRatio()) + " writes, "
                    + ratio(e.readRatio()) + " reads (" + workload + scale + ")");
        } else if (b.measured()) {
            all.add("speed with " + with + ": " + mbps(now.writeMBps()) + " writes, "
                    + mbps(now.readMBps()) + " reads (" + workload + ", as fast as its access pattern"
                    + " runs, at the scale measured on " + b.measuredOn() + ")");
        }
        List<String> assumed = new java.util.ArrayList<>();
        Set<String> already = new HashSet<>();
        for (String t : told) {
            already.add(clause(t));
        }
        for (String a : e.assumptions()) {
            if (already.add(clause(a))) {
                assumed.add(clause(a));
            }
        }
        if (!assumed.isEmpty()) {
            all.add("assumes: " + String.join("; ", assumed));
        }
        for (String note : e.notes()) {
            all.add("note: " + note);
        }
        if (fix != null) {
            all.add(fix);
        }
        return all;
    }

    /** An assumption without its leading "assumes ", as the assumptions line lists it. */
    private static String clause(String assumption) {
        return assumption.startsWith("assumes ") ? assumption.substring("assumes ".length())
                : assumption;
    }

    /**
     * The failures a loss line's figures hold for: {@code worst}, or every failure whose figures
     * (now and, when the mode changes, with the recommendation) are the same and not 0 (a host
     * crash and a power loss, when the device's cache holds nothing more); named in the order
     * QEMU crash, host crash, power loss.
     */
    private static String failures(Kind worst, Prediction now, Prediction rec, boolean same) {
        long lost = worst.pick().apply(now.loss()).p95();
        long then = worst.pick().apply(rec.loss()).p95();
        if (lost == 0) {
            return worst.name();
        }
        List<String> names = new java.util.ArrayList<>();
        for (int i = KINDS.size() - 1; i >= 0; i--) {
            Kind k = KINDS.get(i);
            if (k == worst || k.pick().apply(now.loss()).p95() == lost
                    && (same || k.pick().apply(rec.loss()).p95() == then)) {
                names.add(k.name());
            }
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        String last = names.get(names.size() - 1);
        if (last.equals("host power loss") && names.get(names.size() - 2).equals("host crash")) {
            last = "power loss";
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + last;
    }

    /**
     * The MB/s of both modes on a measured scale: what the speed model gives them is the
     * workload's access pattern (request size, queue depth, flushes) run as fast as it goes, not
     * the rate at which the workload offers writes, which the loss figures take.
     */
    private static String measuredSpeeds(Prediction now, Prediction rec, String with, Basis b) {
        String offered = b.workload() == null ? "" : "; the losses take the workload's offered "
                + rate(b.workload().writeRate());
        return "as fast as its access pattern runs, at the scale measured on " + b.measuredOn()
                + ": writes " + mbps(now.writeMBps()) + " now, " + mbps(rec.writeMBps()) + " with " + with
                + ", reads " + mbps(now.readMBps()) + " now, " + mbps(rec.readMBps()) + offered;
    }

    /**
     * A host crash or power loss loses every byte of an image in host RAM, whatever the cache
     * mode; said as what it rests on: a stated mount, or an assumed one.
     */
    private static String inHostMemory(Basis b) {
        String all = "everything written to the disk"
                + (b.diskBytes() >= 0 ? " (at most " + bytes(b.diskBytes()) + ")" : "");
        return "predicted on host crash and power loss: " + all + " is lost, in every cache mode"
                + (b.inHostMemoryAssumed()
                ? ", if " + b.inHostMemory() + " as assumed without a host profile (its files"
                + " would be in host RAM only)"
                : " (" + b.inHostMemory() + ": its files are in host RAM only)");
    }

    /** {@code  if the host storage honours flushes} after a loss of 0 that rests on it. */
    private static String ifHonoured(long lost, Basis b) {
        return lost == 0 && b.flushes() == Evidence.StorageFlushes.UNKNOWN
                ? " if the host storage honours flushes" : "";
    }

    /**
     * Where a loss figure comes from, in a few words, or null for 0 or without a workload: the
     * disk's size when it bounds it, the whole simulated run (nothing made the writes stable),
     * the host's dirty limit, the device's volatile cache, else how many seconds of the
     * workload's writes it is ({@code lost} over the workload's write rate), with whether the
     * workload was assumed or chosen.
     */
    static String lossSource(long lost, Basis b) {
        return lossSource(new Loss(lost, lost, lost), b);
    }

    /**
     * {@link #lossSource(long, Basis)} for one failure's loss: its p95, and its worst instant,
     * which shows whether a limit bounds it.
     */
    public static String lossSource(Loss loss, Basis b) {
        long lost = loss.p95();
        // A limit bounds the loss when the worst instant reaches it; the p95 lies just below.
        long most = loss.max();
        Workload w = b.workload();
        if (lost <= 0 || w == null) {
            return null;
        }
        if (b.diskBytes() >= 0 && lost >= b.diskBytes()) {
            return "the whole disk: " + b.diskSource();
        }
        double run = w.writeRate() * w.durationSeconds();
        if (lost >= 0.95 * run && lost <= run + w.writeBytes()) {
            return "every write of the simulated " + seconds(w.durationSeconds()) + " run";
        }
        // Above the background threshold the flusher writes back at once (mm/page-writeback.c
        // wb_over_bg_thresh), so a writer slower than the device keeps no more dirty than it; a
        // power loss takes the device's volatile cache besides.
        String bound = bound(most, b.dirtyLimitBytes(), "the host's dirty limit, " + b.dirtyLimit(), b, w);
        if (bound == null) {
            bound = bound(most, b.backgroundLimitBytes(), "the host's background writeback threshold, "
                    + b.backgroundLimit(), b, w);
        }
        if (bound != null) {
            return bound;
        }
        long device = b.deviceHeldBytes(w.writeRate());
        if (device > 0 && Math.abs(most - device) <= Math.max(w.writeBytes(), device / 100)) {
            return "writes in " + device(b) + ", " + seconds(lost / w.writeRate()) + " of the "
                    + (b.workloadChosen() == null ? "assumed " : "") + rate(w.writeRate()) + " "
                    + w.id() + " workload";
        }
        // Nothing bounds it but the flusher's expiry, whose figure is per-inode expiry's upper
        // bound (LossModel.perInodeBound): the line says so, not only the assumptions.
        return "an upper bound: " + seconds(lost / w.writeRate()) + " of writes at the "
                + (b.workloadChosen() == null ? "assumed " : "") + rate(w.writeRate()) + " "
                + w.id() + " workload" + (b.workloadChosen() == null ? ""
                : " chosen " + b.workloadChosen());
    }

    /** The device's volatile cache as the model assumes it (HostModel.defaults). */
    private static String device(Basis b) {
        if (b.flushes() == Evidence.StorageFlushes.IGNORED) {
            // HostModel.ignoringFlushes: the storage's own commit time, not a device cache.
            return "the storage that does not honour flushes, which makes them stable within "
                    + seconds(b.destageSeconds()) + " (see the note)";
        }
        return "the device's volatile write cache, assumed " + HostModel.binary(b.deviceCacheBytes())
                + " and destaged within " + seconds(b.destageSeconds());
    }

    /**
     * "bounded by WHAT" when the worst instant {@code most} reaches {@code limit}, or the limit and
     * the device's volatile cache (what a power loss takes besides); null otherwise.
     */
    private static String bound(long most, long limit, String what, Basis b, Workload w) {
        if (limit <= 0) {
            return null;
        }
        long slack = Math.max(w.writeBytes(), limit / 100);
        if (Math.abs(most - limit) <= slack) {
            return "bounded by " + what;
        }
        long device = b.deviceHeldBytes(w.writeRate());
        if (device > 0 && Math.abs(most - limit - device) <= slack) {
            return "bounded by " + what + ", and " + device(b);
        }
        return null;
    }

    /**
     * Where a host cache figure comes from: the disk's size, the memory the guest leaves the host,
     * or half the guest's memory (Simulator's assumption), which it quotes as the domain has it.
     */
    private static String dupSource(long dup, Basis b) {
        if (dup <= 0) {
            return "";
        }
        if (b.diskBytes() >= 0 && dup >= b.diskBytes()) {
            return " (the whole disk: " + b.diskSource() + ")";
        }
        if (b.hostLeavesBytes() >= 0 && dup >= b.hostLeavesBytes()) {
            return " (at most " + b.hostLeaves() + ")";
        }
        if (b.guestMemoryBytes() > 0 && dup == b.guestMemoryBytes() / 2) {
            return " (assumed: half the guest's " + HostModel.binary(b.guestMemoryBytes()) + " memory)";
        }
        return "";
    }

    /**
     * Bytes in decimal units (B, kB, MB, GB, TB: the units of the workloads' MB/s, so that a loss
     * reads as seconds times a rate), to two significant figures, with {@code ~} when rounding
     * changed the value: {@code 0 B}, {@code ~140 MB}, {@code 64 MB}, {@code ~1.1 GB}; a count
     * below 1 kB exactly ({@code 512 B}). Settings are quoted in their own units elsewhere
     * ({@code 512 MiB}, {@code 16 GiB}). Every byte
     * figure of the evidence and of {@code simulate} reads through this.
     */
    public static String bytes(long n) {
        if (n < 0) {
            return "-" + bytes(-n);
        }
        if (n < 1000) {
            // Exact: a byte count below a kB has no rounding to hide (512 B, not ~510 B).
            return n + " B";
        }
        BigDecimal exact = BigDecimal.valueOf(n);
        BigDecimal rounded = exact.round(TWO);
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        int u = 0;
        BigDecimal v = rounded;
        while (v.compareTo(THOUSAND) >= 0 && u < units.length - 1) {
            v = v.movePointLeft(3);
            u++;
        }
        return (rounded.compareTo(exact) == 0 ? "" : "~") + plain(v, n == 0) + " " + units[u];
    }

    private static final MathContext TWO = new MathContext(2, RoundingMode.HALF_UP);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /** {@code v} to two significant figures, keeping a trailing zero that is significant. */
    public static String sig(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        return plain(new BigDecimal(Double.toString(v)).round(TWO), false);
    }

    /** Two significant figures of a rounded value: {@code 1.0}, {@code 0.040}, {@code 140}. */
    private static String plain(BigDecimal v, boolean zero) {
        if (zero || v.signum() == 0) {
            return "0";
        }
        int lead = v.precision() - v.scale() - 1;
        return v.setScale(Math.max(0, 1 - lead), RoundingMode.HALF_UP).toPlainString();
    }

    /** A ratio to two significant figures: {@code 0.27x}, {@code 1.7x}, {@code 35x}. */
    public static String ratio(double r) {
        return sig(r) + "x";
    }

    /** Throughput to two significant figures, for speeds on a measured scale only. */
    static String mbps(double v) {
        return sig(v) + " MB/s";
    }

    /** Seconds to two significant figures: {@code 36 s}, {@code 1.0 s}. */
    static String seconds(double s) {
        return sig(s) + " s";
    }

    /** A workload's write rate as it is defined (4 MB/s, 0.2 MB/s): no digits it does not have. */
    public static String rate(double bytesPerSecond) {
        return new BigDecimal(Double.toString(bytesPerSecond / 1e6)).round(TWO).stripTrailingZeros()
                .toPlainString() + " MB/s";
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
