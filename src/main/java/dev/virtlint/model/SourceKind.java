package dev.virtlint.model;

import java.util.Locale;
import java.util.Optional;

/** The kind of storage behind a disk: libvirt's {@code <disk type=>}. */
public enum SourceKind {
    FILE, BLOCK, NETWORK, VOLUME, NVME, VHOSTUSER, VHOSTVDPA, DIR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SourceKind> byId(String id) {
        for (SourceKind k : values()) {
            if (k.id().equals(id)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
