package dev.virtlint.model;

import java.util.Locale;
import java.util.Optional;

/** What the guest sees: libvirt's {@code <disk device=>}. */
public enum DiskDevice {
    DISK, CDROM, FLOPPY, LUN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DiskDevice> byId(String id) {
        for (DiskDevice d : values()) {
            if (d.id().equals(id)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
