package dev.virtlint.parse;

import dev.virtlint.model.Refused;
import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What libvirt's and QEMU's parsers accept for the disk settings virtlint reads, taken from their
 * source, and the check that turns anything else into a {@link Refused}. Both compare strings
 * exactly ({@code strcmp}, {@code STREQ}, {@code qapi_enum_parse}): {@code None} is not
 * {@code none}.
 */
final class Accepted {

    static final String QEMU = "QEMU";
    static final String LIBVIRT = "libvirt";

    // QEMU block.c bdrv_parse_cache_mode: "off" is an old spelling of "none".
    static final List<String> QEMU_CACHE = List.of("none", "off", "writeback", "writethrough",
            "directsync", "unsafe");
    // QEMU block.c bdrv_parse_aio (io_uring only when built with it; accepted here).
    static final List<String> QEMU_AIO = List.of("threads", "native", "io_uring");
    // QEMU block.c bdrv_parse_discard_flags: "off" is "ignore" and "on" is "unmap".
    static final List<String> QEMU_DISCARD = List.of("ignore", "off", "unmap", "on");
    // QEMU qapi/block-core.json BlockdevDiscardOptions, the type of a -blockdev node's discard:
    // -blockdev is read by the QAPI visitor (vl.c, qobject_input_visitor_new_str and
    // visit_type_BlockdevOptions), which takes only these names; on and off are -drive spellings.
    static final List<String> QEMU_BLOCKDEV_DISCARD = List.of("ignore", "unmap");
    // QEMU qapi/block-core.json BlockdevDetectZeroesOptions, parsed by qapi_enum_parse in
    // blockdev.c extract_common_blockdev_options (and block.c bdrv_parse_detect_zeroes).
    static final List<String> QEMU_DETECT_ZEROES = List.of("off", "on", "unmap");
    // QEMU blockdev.c if_name[] and drive_new ("unsupported bus type").
    static final List<String> QEMU_IF = List.of("none", "ide", "scsi", "floppy", "pflash", "mtd",
            "sd", "virtio", "xen");
    // QEMU blockdev.c drive_new ("'%s' invalid media").
    static final List<String> QEMU_MEDIA = List.of("disk", "cdrom");
    // QEMU util/qapi-util.c qapi_bool_parse, which util/qemu-option.c parse_option_bool calls for
    // every QEMU_OPT_BOOL (older QEMUs took only on and off; the wider set is accepted here).
    static final List<String> QEMU_BOOL = List.of("on", "off", "yes", "no", "true", "false", "y",
            "n");
    // QEMU qapi/common.json OnOffAuto, the type of the block devices' write-cache property
    // (hw/block/block.c DEFINE_BLOCK_PROPERTIES_BASE, DEFINE_PROP_ON_OFF_AUTO).
    static final List<String> QEMU_ON_OFF_AUTO = List.of("on", "off", "auto");
    // QEMU's block drivers by format_name (block/*.c), for format=: any of them may be named.
    static final List<String> QEMU_FORMATS = List.of("raw", "qcow2", "qcow", "qed", "vmdk", "vdi",
            "vpc", "vhdx", "vvfat", "bochs", "cloop", "dmg", "parallels", "luks", "file",
            "host_device", "host_cdrom", "nbd", "rbd", "iscsi", "iser", "gluster", "nfs", "ssh",
            "http", "https", "ftp", "ftps", "tftp", "sheepdog", "vxhs", "blkdebug", "blkverify",
            "blkreplay", "blklogwrites", "null-co", "null-aio", "quorum", "throttle",
            "copy-on-read", "compress", "replication", "preallocate", "snapshot-access",
            "copy-before-write", "nvme", "nvme-io_uring", "io_uring", "virtio-blk-vfio-pci",
            "virtio-blk-vhost-user", "virtio-blk-vhost-vdpa", "cow", "host_floppy");

    // libvirt src/conf/domain_conf.c: VIR_ENUM_IMPL(virDomainDiskCache), read by
    // virDomainDiskDefDriverParseXML with VIR_XML_PROP_NONE, so "default" (no mode) is accepted.
    static final List<String> LIBVIRT_CACHE = List.of("default", "none", "writethrough",
            "writeback", "directsync", "unsafe");
    // virDomainDiskIo, virDomainDiskDiscard and virDomainDiskDetectZeroes are read with
    // VIR_XML_PROP_NONZERO: their "default" is refused when written.
    static final List<String> LIBVIRT_IO = List.of("native", "threads", "io_uring");
    static final List<String> LIBVIRT_DISCARD = List.of("unmap", "ignore");
    static final List<String> LIBVIRT_DETECT_ZEROES = List.of("off", "on", "unmap");
    // VIR_ENUM_IMPL(virDomainDiskDevice).
    static final List<String> LIBVIRT_DEVICE = List.of("disk", "cdrom", "floppy", "lun");
    // libvirt src/conf/storage_source_conf.c VIR_ENUM_IMPL(virStorageType), without "none" (0).
    static final List<String> LIBVIRT_DISK_TYPE = List.of("file", "block", "dir", "network",
            "volume", "nvme", "vhostuser", "vhostvdpa");
    // virDomainDiskDefDriverSourceParseXML: virStorageFileFormat above 0 ("none"), and "aio" for
    // raw.
    static final List<String> LIBVIRT_FORMATS = List.of("raw", "dir", "bochs", "cloop", "dmg",
            "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk",
            "aio");
    // VIR_ENUM_IMPL(virDomainDiskBus); "nvme" (VIR_DOMAIN_DISK_BUS_NVME) is in recent releases
    // (src/bhyve/bhyve_domain.c bhyveDomainDiskDefAssignAddress uses it), so an older list would
    // call a valid domain invalid.
    static final List<String> LIBVIRT_BUS = List.of("none", "ide", "fdc", "scsi", "virtio", "xen",
            "usb", "uml", "sata", "sd", "nvme");

    /**
     * The options of {@code -drive} itself, offered in "did you mean": QEMU blockdev.c
     * qemu_legacy_drive_opts, qemu_common_drive_opts, drive_new's opt_renames and its cache option,
     * block.c bdrv_runtime_opts, and options older QEMUs took ({@code serial}, {@code addr}, CHS).
     */
    static final List<String> DRIVE_OPTIONS = List.of("file", "if", "index", "bus", "unit", "media",
            "id", "format", "cache", "aio", "discard", "detect-zeroes", "snapshot", "readonly",
            "read-only", "auto-read-only", "rerror", "werror", "copy-on-read", "cache.direct",
            "cache.no-flush", "cache.writeback", "node-name", "driver", "force-share",
            "stats-account-invalid", "stats-account-failed", "serial", "addr", "boot", "trans",
            "cyls", "heads", "secs", "iops", "iops_rd", "iops_wr", "bps", "bps_rd", "bps_wr",
            "iops_max", "iops_rd_max", "iops_wr_max", "bps_max", "bps_rd_max", "bps_wr_max",
            "iops_size", "group");

    /**
     * Options that -drive passes on to the block drivers it opens (their runtime_opts in
     * block/*.c). A name here is never reported, although only some drivers take it; a name that
     * is neither here nor in {@link #DRIVE_OPTIONS} is reported only when it is close to a -drive
     * option, since a driver virtlint does not list may take it.
     */
    private static final Set<String> DRIVER_OPTIONS = Set.of("filename", "locking", "aio-max-batch",
            "pr-manager", "drop-cache", "offset", "size", "lazy-refcounts", "pass-discard-request",
            "pass-discard-snapshot", "pass-discard-other", "discard-no-unref", "overlap-check",
            "cache-size", "l2-cache-size", "l2-cache-entry-size", "refcount-cache-size",
            "cache-clean-interval", "data-file", "backing", "extents", "dir", "fat-type", "floppy",
            "label", "rw", "export", "tls-creds", "tls-hostname", "reconnect-delay", "open-timeout",
            "host", "port", "path", "pool", "namespace", "image", "conf", "user", "password-secret",
            "key-secret", "auth-client-required", "transport", "portal", "target", "lun",
            "password", "initiator-name", "header-digest", "timeout", "volume", "debug", "logfile",
            "tcp-syn-count", "readahead-size", "page-cache-size", "url", "readahead", "sslverify",
            "cookie", "cookie-secret", "username", "proxy-username", "proxy-password-secret",
            "device", "latency-ns", "read-zeroes", "config", "align", "max-transfer",
            "opt-write-zero", "max-write-zero", "opt-discard", "max-discard", "take-child-perms",
            "unshare-child-perms", "test", "raw", "vote-threshold", "blkverify",
            "rewrite-corrupted", "read-pattern", "throttle-group", "bitmap", "on-cbw-error",
            "cbw-timeout", "force-size-calc", "force_size_calc", "prealloc-align", "prealloc-size",
            "mode", "top-id", "log", "log-sector-size", "log-append", "log-super-update-interval",
            "vdisk-id", "vdi", "snap-id", "tag", "snapshot-id", "backing.file", "encrypt",
            "queue-size", "iothread");

    private Accepted() {
    }

    /** A refused value, or empty when {@code value} is one the parser accepts. */
    static Optional<Refused> value(String name, String value, Span span, List<String> accepted,
                                   String reader) {
        if (accepted.contains(value) || reader.equals(QEMU) && value.contains("$")) {
            // A value a launch script leaves to a variable ($CACHE, ${CACHE:-none}) is not known
            // here: ArgsParser reads scripts without running them.
            return Optional.empty();
        }
        List<String> closest = closest(value, accepted, true);
        return Optional.of(new Refused(name, value, false, span, accepted, closest, reader));
    }

    /**
     * For a set virtlint may not know in full (format names): refused only when a close accepted
     * value suggests a typo, so that a real name virtlint does not list is never reported.
     */
    static Optional<Refused> nearMiss(String name, String value, Span span, List<String> accepted,
                                      String reader) {
        return value(name, value, span, accepted, reader).filter(r -> !r.closest().isEmpty());
    }

    /**
     * An option name of {@code -drive} that no parser takes. QEMU's qemu_drive_opts accepts any
     * name and leaves unknown ones to the block driver, which refuses them ("Block format ...
     * does not support the option"); since the drivers' options depend on the driver, a name is
     * only reported when it is close to a -drive option and is no driver option virtlint knows.
     * Names with a dot go to a child node ({@code file.}, {@code backing.}), except {@code cache.}.
     */
    static Optional<Refused> driveOption(String key, String value, Span keySpan, boolean flag) {
        if (DRIVE_OPTIONS.contains(key) || DRIVER_OPTIONS.contains(key) || key.startsWith("x-")
                || key.contains("$")) {
            return Optional.empty();
        }
        // util/qemu-option.c get_opt_name_value: a flag written "noNAME" sets NAME to off (a short
        // form deprecated since QEMU 6.0, commit ccd3b3b8112b, but still read).
        if (flag && key.startsWith("no") && DRIVE_OPTIONS.contains(key.substring(2))) {
            return Optional.empty();
        }
        int dot = key.indexOf('.');
        if (dot >= 0 && !key.startsWith("cache.")) {
            return Optional.empty();
        }
        List<String> closest = closest(key, DRIVE_OPTIONS, false);
        if (closest.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Refused(key, value, true, keySpan, List.of(), closest, QEMU));
    }

    /**
     * A -blockdev node's {@code discard}, refused unless ignore or unmap; the -drive spellings on
     * and off suggest what they mean there (block.c bdrv_parse_discard_flags).
     */
    static Optional<Refused> blockdevDiscard(String name, String value, Span span) {
        return value(name, value, span, QEMU_BLOCKDEV_DISCARD, QEMU).map(r -> switch (value) {
            case "on" -> new Refused(name, value, false, span, r.accepted(), List.of("unmap"), QEMU);
            case "off" -> new Refused(name, value, false, span, r.accepted(), List.of("ignore"), QEMU);
            default -> r;
        });
    }

    /** {@code discard} as libvirt names it: QEMU's "on" and "off" are its "unmap" and "ignore". */
    static String qemuDiscard(String value) {
        return switch (value) {
            case "on" -> "unmap";
            case "off" -> "ignore";
            default -> value;
        };
    }

    /**
     * The candidates close to {@code written}, nearest first: those that differ only in case,
     * then those within an edit distance of 1 (for 4 characters or fewer) or 2, and with
     * {@code prefixes}, those that start what is written ({@code writeback-please} suggests
     * {@code writeback}).
     */
    static List<String> closest(String written, List<String> candidates, boolean prefixes) {
        String w = written.toLowerCase(Locale.ROOT);
        int limit = w.length() <= 4 ? 1 : 2;
        List<String> out = new ArrayList<>();
        for (int d = 0; d <= limit; d++) {
            for (String c : candidates) {
                if (!out.contains(c) && distance(w, c.toLowerCase(Locale.ROOT)) == d) {
                    out.add(c);
                }
            }
        }
        if (prefixes) {
            for (String c : candidates) {
                boolean starts = c.length() >= 4 && w.startsWith(c.toLowerCase(Locale.ROOT));
                if (starts && !out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, neighbour swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + cost);
                boolean swapped = i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1);
                if (swapped) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
