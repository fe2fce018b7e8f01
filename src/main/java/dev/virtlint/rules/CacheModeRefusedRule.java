package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Located;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import java.util.List;
import java.util.Optional;

/**
 * Cache settings that libvirt or QEMU refuse outright for the kind of disk: the domain does not
 * start. Values that are not cache modes at all are another rule's business (a value this rule
 * cannot read is left alone).
 */
final class CacheModeRefusedRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("cache-mode-refused",
            "libvirt or QEMU refuses the disk's cache setting, so the domain does not start",
            Severity.ERROR, "correctness");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        refusal(c.disk()).ifPresent(why -> out.add(c.finding(this, c.name() + " " + why,
                c.cacheSpan(Setting.CACHE_DIRECT))));
    }

    /**
     * Why libvirt or QEMU refuses the disk's cache setting, or empty when neither does. The other
     * cache rules leave such a disk to this one ({@link DiskCheck#writable()}).
     */
    static Optional<String> refusal(Disk disk) {
        Optional<String> driver = Advisor.directOnly(disk);
        if (driver.isEmpty() || unreadableMode(disk)) {
            return Optional.empty();
        }
        CacheMode mode = disk.cache();
        if (disk.dialect().libvirt() && disk.sourceKind() == SourceKind.VHOSTVDPA) {
            // libvirt src/qemu/qemu_validate.c qemuValidateDomainDeviceDefDisk: for
            // VIR_STORAGE_TYPE_VHOST_VDPA any cachemode but DIRECTSYNC and DISABLE (none) is an
            // error, the default (no mode) included.
            Optional<CacheMode.Preset> preset = mode.explicit() ? mode.preset() : Optional.empty();
            boolean accepted = preset.filter(p -> p == CacheMode.Preset.NONE
                    || p == CacheMode.Preset.DIRECTSYNC).isPresent();
            if (accepted) {
                return Optional.empty();
            }
            boolean spelledDefault = disk.setting(Setting.CACHE).isPresent();
            String what = mode.explicit() ? "uses cache='" + mode.modeName() + "'"
                    : spelledDefault ? "uses cache='default' (no mode)" : "gives no cache mode";
            return Optional.of(what + ", but libvirt refuses it: disk type 'vhostvdpa' requires"
                    + " cache mode 'directsync' or 'none', so the domain does not start");
        }
        // QEMU block/blkio.c blkio_virtio_blk_common_open and blkio_nvme_io_uring: these
        // drivers fail to open without BDRV_O_NOCACHE, that is without cache.direct=on.
        if (mode.direct()) {
            return Optional.empty();
        }
        // Named as written: a cache= mode, else the switch itself (-blockdev has no modes).
        String setting = disk.setting(Setting.CACHE).map(l -> "cache=" + l.value().trim())
                .orElse("cache.direct=off");
        String what = mode.explicit() ? "uses " + setting
                : "gives no cache mode (cache.direct=off by default)";
        return Optional.of(what + ", but QEMU's " + driver.get() + " driver refuses it"
                + " ('cache.direct=off is not supported'), so QEMU does not start");
    }

    /** A cache value that is not a mode at all: reporting it is not this rule's job. */
    private static boolean unreadableMode(Disk disk) {
        Optional<String> raw = disk.setting(Setting.CACHE).map(Located::value);
        return raw.isPresent() && !raw.get().trim().equalsIgnoreCase("default")
                && CacheMode.Preset.byName(raw.get()).isEmpty();
    }
}
