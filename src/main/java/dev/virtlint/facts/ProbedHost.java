package dev.virtlint.facts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code virtlint probe} found on a host, as a host profile states it: {@link HostProfile}
 * writes it ({@link HostProfile#write}) and reads it back as {@link HostFacts}. Absent facts are
 * null or empty and are not written.
 *
 * @param openzfs     the OpenZFS module's version, or null
 * @param memoryBytes the memory in bytes (probe reads it in KiB), or null
 * @param memoryAvailableBytes /proc/meminfo MemAvailable in bytes, or null
 * @param storage     per-path facts beyond the filesystem (nocow, ZFS properties, write cache)
 * @param images      the allocation of the images probe was given
 * @param sysctl      the dirty page sysctls by their names without {@code vm.}, in probe order
 * @param costNotes   comment lines written before the costs (how they were measured)
 * @param costs       device costs by their profile names ({@link HostFacts#COST_NAMES}), in order
 */
public record ProbedHost(String kernel, String qemu, String openzfs, Long memoryBytes,
                         Long memoryAvailableBytes, List<HostFacts.Mount> mounts, List<HostFacts.Storage> storage,
                         List<HostFacts.Image> images, List<HostFacts.DirectIoProbe> odirect,
                         Map<String, Long> sysctl, List<String> costNotes, Map<String,
                                 Double> costs) {

    public ProbedHost {
        mounts = List.copyOf(mounts);
        storage = List.copyOf(storage);
        images = List.copyOf(images);
        odirect = List.copyOf(odirect);
        sysctl = Collections.unmodifiableMap(new LinkedHashMap<>(sysctl));
        costNotes = List.copyOf(costNotes);
        costs = Collections.unmodifiableMap(new LinkedHashMap<>(costs));
    }

    /** A host whose MemAvailable is unknown. */
    public ProbedHost(String kernel, String qemu, String openzfs, Long memoryBytes,
                      List<HostFacts.Mount> mounts, List<HostFacts.Storage> storage,
                      List<HostFacts.Image> images, List<HostFacts.DirectIoProbe> odirect,
                      Map<String, Long> sysctl, List<String> costNotes, Map<String, Double> costs) {
        this(kernel, qemu, openzfs, memoryBytes, null, mounts, storage, images, odirect, sysctl, costNotes,
                costs);
    }

    /** A host without the facts of issue 18 (OpenZFS, storage, images). */
    public ProbedHost(String kernel, String qemu, Long memoryBytes, List<HostFacts.Mount> mounts,
                      List<HostFacts.DirectIoProbe> odirect, Map<String, Long> sysctl,
                      List<String> costNotes, Map<String, Double> costs) {
        this(kernel, qemu, null, memoryBytes, mounts, List.of(), List.of(), odirect, sysctl,
                costNotes,
                costs);
    }

    /** The same host with measured device costs. */
    public ProbedHost withCosts(List<String> notes, Map<String, Double> measured) {
        return new ProbedHost(kernel, qemu, openzfs, memoryBytes, memoryAvailableBytes, mounts, storage, images, odirect,
                sysctl, notes, measured);
    }
}
