package dev.virtlint.sim;

import dev.virtlint.sim.LossModel.Losses;

/**
 * What the simulator predicts for one disk under one cache mode.
 *
 * @param cache                   the mode's name ({@code custom} for switches no preset gives)
 * @param loss                    acknowledged bytes lost per failure kind
 * @param writeMBps               write throughput the path sustains for the workload (decimal MB/s)
 * @param readMBps                read throughput for the workload
 * @param hostCacheDuplicateBytes host RAM spent caching data the guest caches too
 */
public record Prediction(String cache, Losses loss, double writeMBps, double readMBps, long hostCacheDuplicateBytes) {
}
