package dev.virtlint.model;

import java.util.List;

/**
 * A libvirt domain: what virtlint needs to know about the guest, and every disk it defines,
 * including drives passed through {@code <qemu:commandline>}.
 *
 * @param name        {@code <name>}, or null when missing
 * @param uuid        {@code <uuid>}, or null
 * @param memoryBytes {@code <memory>} converted to bytes, or null
 * @param osId        the libosinfo id from {@code <metadata>}, or null
 * @param disks       in document order
 */
public record Domain(String name, String uuid, Long memoryBytes, String osId, List<Disk> disks,
                     Annotations annotations) {

    public Domain {
        disks = List.copyOf(disks);
    }
}
