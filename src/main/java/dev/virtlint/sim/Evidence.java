package dev.virtlint.sim;

import dev.virtlint.sim.LossModel.Loss;
import dev.virtlint.sim.LossModel.Losses;
import java.util.List;

/**
 * The figures behind a finding: the prediction for the disk as configured and for the advisor's
 * recommendation, under one workload.
 *
 * @param workload    the workload's id
 * @param guestFlushes whether the guest was simulated as sending flushes
 * @param current     the disk as it is
 * @param recommended the disk with the recommended cache mode (the same mode when the advice keeps it)
 * @param assumptions what was assumed for lack of facts, for the reader to check
 * @param notes       stated facts that change what the figures mean (storage that ignores flushes,
 *                    a sparse image under O_DIRECT), one sentence each
 * @param basis       what the figures rest on, for saying where each comes from
 * @param scenario    what the figures were predicted for, so that a report can put the other cache
 *                    modes beside them (the HTML report's chart); null when not known
 */
public record Evidence(String workload, boolean guestFlushes, Prediction current,
        Prediction recommended, List<String> assumptions, List<String> notes, Basis basis,
        Simulator.Scenario scenario) {

    public Evidence {
        assumptions = List.copyOf(assumptions);
        notes = List.copyOf(notes);
    }

    public Evidence(String workload, boolean guestFlushes, Prediction current,
            Prediction recommended, List<String> assumptions, List<String> notes, Basis basis) {
        this(workload, guestFlushes, current, recommended, assumptions, notes, basis, null);
    }

    public Evidence(String workload, boolean guestFlushes, Prediction current,
            Prediction recommended, List<String> assumptions, List<String> notes) {
        this(workload, guestFlushes, current, recommended, assumptions, notes,
                Basis.of(Workload.byId(workload).orElse(null)));
    }

    public Evidence(String workload, boolean guestFlushes, Prediction current,
            Prediction recommended, List<String> assumptions) {
        this(workload, guestFlushes, current, recommended, assumptions, List.of());
    }

    /** The same figures with {@code more} notes. */
    public Evidence withNotes(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new Evidence(workload, guestFlushes, current, recommended, assumptions, all, basis,
                scenario);
    }

    /** The figures on {@code basis}, bounded as it says ({@link Basis#bound}). */
    public Evidence on(Basis b) {
        return new Evidence(workload, guestFlushes, b.bound(current), b.bound(recommended),
                assumptions, notes, b, scenario);
    }

    /** Recommended over current write throughput. */
    public double writeRatio() {
        return recommended.writeMBps() / current.writeMBps();
    }

    /** Recommended over current read throughput. */
    public double readRatio() {
        return recommended.readMBps() / current.readMBps();
    }

    /** Whether the storage under the disk honours flushes, as far as virtlint knows. */
    public enum StorageFlushes {
        /** A host profile says so ({@code flushes: yes}). */
        HONOURED,
        /** A host profile says it does not, or states what makes it not (tmpfs, nobarrier, ...). */
        IGNORED,
        /** Nothing says: a loss of 0 B holds only if it does. */
        UNKNOWN
    }

    /**
     * What the figures rest on, beyond the scenario's cache mode: what a reader needs to know
     * where a figure comes from, and the bounds the simulator's model of one disk's path does not
     * know (the disk's size, an image that is in host RAM already).
     *
     * @param workload        what the guest is simulated to do, or null when unknown
     * @param workloadChosen  how the workload was chosen ("in .virtlint.yaml", "with
     *                        --workload"), or null when it is the assumed default
     * @param dirtyLimitBytes the host page cache's dirty limit the model caps dirty data at
     * @param dirtyLimit      that limit in words ("vm.dirty_ratio 20 % of the 16 GiB host memory,
     *                        assumed"), or null
     * @param backgroundLimitBytes where the host's background writeback starts, which bounds
     *                        the dirty data of a writer slower than the device
     * @param backgroundLimit that threshold in words, or null
     * @param deviceCacheBytes the device's volatile write cache the model assumes
     * @param destageSeconds  how long the model takes data to sit in that cache before it
     *                        reaches media (assumed: 1 s)
     * @param flushes         whether the storage honours flushes
     * @param inHostMemory    why the image is in host RAM in every mode ("/srv/ram is tmpfs"),
     *                        or null when it is not
     * @param inHostMemoryAssumed whether that rests on an assumed mount (/dev/shm without a host
     *                        profile)
     * @param guestMemoryBytes the guest's memory as the scenario has it, or -1 when unknown
     * @param hostLeavesBytes the most the host page cache can hold beside the guest (the host's
     *                        memory less the guest's, or the dirtyable memory a profile states),
     *                        or -1 when unknown
     * @param hostLeaves      that bound in words, or null
     * @param diskBytes       the most the guest can write to the disk (its virtual size, or a
     *                        floppy's largest format), or -1 when unknown
     * @param diskSource      where {@code diskBytes} comes from, in words, or null
     * @param measuredOn      the host whose measured device costs give the speeds their scale
     *                        ({@code probe --bench}), or null when the scale is the built-in,
     *                        assumed one
     */
    public record Basis(Workload workload, String workloadChosen, long dirtyLimitBytes,
                        String dirtyLimit, long backgroundLimitBytes, String backgroundLimit,
                        long deviceCacheBytes, double destageSeconds, StorageFlushes flushes,
                        String inHostMemory, boolean inHostMemoryAssumed,
                        long guestMemoryBytes, long hostLeavesBytes, String hostLeaves,
                        long diskBytes, String diskSource, String measuredOn) {

        /** What is known without a disk: the workload only. */
        public static Basis of(Workload workload) {
            return new Basis(workload, null, -1, null, -1, null, -1, 0, StorageFlushes.UNKNOWN, null, false,
                    -1, -1, null, -1, null, null);
        }

        /**
         * A prediction within what the disk can hold: no failure loses more than the guest can
         * write to the disk (its size), and the host caches no more of it than that, nor more than
         * the memory the guest leaves it ({@link #hostLeavesBytes}); an image
         * in host RAM (tmpfs, ramfs) is not cached a second time by the host page cache: its
         * pages are the file (Documentation/filesystems/tmpfs.rst: "tmpfs puts everything into
         * the kernel internal caches"), in every cache mode.
         */
        public Prediction bound(Prediction p) {
            long dup = p.hostCacheDuplicateBytes();
            if (inHostMemory != null) {
                dup = 0;
            }
            if (hostLeavesBytes >= 0) {
                dup = Math.min(dup, hostLeavesBytes);
            }
            Losses l = p.loss();
            if (diskBytes >= 0) {
                dup = Math.min(dup, diskBytes);
                l = new Losses(cap(l.qemuCrash()), cap(l.hostCrash()), cap(l.powerLoss()));
            }
            return new Prediction(p.cache(), l, p.writeMBps(), p.readMBps(), dup);
        }

        private Loss cap(Loss l) {
            return new Loss(Math.min(l.p50(), diskBytes), Math.min(l.p95(), diskBytes),
                    Math.min(l.max(), diskBytes));
        }

        /**
         * What the device's volatile cache holds of a writer at {@code rate} bytes/s: the cache,
         * or the writes of one destage time when they are fewer ({@link #destageSeconds}).
         */
        public long deviceHeldBytes(double rate) {
            return deviceCacheBytes <= 0 ? 0 : (long) Math.min(deviceCacheBytes, rate * destageSeconds);
        }

        /** Whether the speeds are on a measured scale ({@link #measuredOn}). */
        public boolean measured() {
            return measuredOn != null;
        }
    }
}
