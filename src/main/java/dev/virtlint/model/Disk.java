package dev.virtlint.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One disk a configuration defines, with its effective cache mode and where each of its settings
 * sits in the source. Built with {@link #builder(Dialect, Span)}.
 */
public final class Disk {

    private final Dialect dialect;
    private final Span span;
    private final DiskDevice device;
    private final SourceKind sourceKind;
    private final String source;
    private final String protocol;
    private final String host;
    private final String format;
    private final String target;
    private final String bus;
    private final boolean busImplied;
    private final List<String> backingFiles;
    private final boolean blockByPath;
    private final boolean readonly;
    private final boolean shareable;
    private final boolean transientDisk;
    private final CacheMode cache;
    private final String io;
    private final String discard;
    private final String detectZeroes;
    private final boolean driveString;
    private final String fromShell;
    private final Map<Setting, Located> settings;
    private final List<Refused> refused;
    private final boolean blockdev;
    private final List<CacheOption> cacheOptions;
    private final List<CacheOption> inertCacheOptions;
    private final String cacheNote;

    private Disk(Builder b) {
        this.dialect = b.dialect;
        this.span = b.span;
        this.device = b.device;
        this.sourceKind = b.sourceKind;
        this.source = b.source;
        this.protocol = b.protocol;
        this.host = b.host;
        this.format = b.format;
        this.target = b.target;
        this.bus = b.bus;
        this.busImplied = b.busImplied;
        this.backingFiles = List.copyOf(b.backingFiles);
        this.blockByPath = b.blockByPath;
        this.readonly = b.readonly;
        this.shareable = b.shareable;
        this.transientDisk = b.transientDisk;
        this.cache = b.cache;
        this.io = b.io;
        this.discard = b.discard;
        this.detectZeroes = b.detectZeroes;
        this.driveString = b.driveString;
        this.fromShell = b.fromShell;
        this.settings = Collections.unmodifiableMap(new EnumMap<>(b.settings));
        this.refused = List.copyOf(b.refused);
        this.blockdev = b.blockdev;
        this.cacheOptions = List.copyOf(b.cacheOptions);
        this.inertCacheOptions = List.copyOf(b.inertCacheOptions);
        this.cacheNote = b.cacheNote;
    }

    public static Builder builder(Dialect dialect, Span span) {
        return new Builder(dialect, span);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The element or option that defines the disk: the {@code <disk>} start tag, or a QEMU option value. */
    public Span span() {
        return span;
    }

    public DiskDevice device() {
        return device;
    }

    public SourceKind sourceKind() {
        return sourceKind;
    }

    /** The path, or {@code protocol://host/name} for a network disk; empty for an empty drive. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    public Optional<String> protocol() {
        return Optional.ofNullable(protocol);
    }

    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    public Optional<String> format() {
        return Optional.ofNullable(format);
    }

    /** The guest device name ({@code vda}) or, for QEMU strings, the device or drive id. */
    public String target() {
        return target;
    }

    public Optional<String> bus() {
        return Optional.ofNullable(bus);
    }

    /**
     * Whether {@link #bus()} is only the parser's default for a QEMU {@code -drive} without
     * {@code if=} (or {@code -hda} and friends) on a machine whose default interface is not known
     * to be IDE: QEMU takes the machine's {@code block_default_type}, which is virtio on arm
     * {@code virt}, {@code s390-ccw-virtio} and the riscv and loongarch {@code virt} machines.
     */
    /**
     * The host files of the image's backing chain as the file states it ({@code <backingStore
     * type='file'>} layers, top first); empty when it states none, which does not mean the image
     * has none (libvirt reads an inactive domain's chain from the image headers at start).
     */
    public List<String> backingFiles() {
        return backingFiles;
    }

    public boolean busImplied() {
        return busImplied;
    }

    /**
     * Whether the disk is {@link SourceKind#BLOCK} only because its QEMU {@code file=} path is
     * under {@code /dev/}, not because the input says so (libvirt {@code type='block'}, QEMU
     * {@code driver=host_device}): it may be a file on a mount under {@code /dev/} that a host
     * profile states.
     */
    public boolean blockByPath() {
        return blockByPath;
    }

    /**
     * Whether nothing is written to the disk: the file says so ({@code <readonly/>},
     * {@code readonly=on}, {@code "read-only":true}), or the disk is a CD-ROM, which libvirt and
     * QEMU open read-only whether or not the file says so (see {@link #readonlyBy()}).
     */
    public boolean readonly() {
        return readonlyBy().isPresent();
    }

    /**
     * Why the disk is read-only: {@code "stated"} when the file says so, {@code "cdrom"} when only
     * the device makes it so; empty for a writable disk. A CD-ROM is read-only in libvirt whatever
     * the XML says (src/conf/domain_postparse.c virDomainDiskDefPostParse forces
     * {@code src->readonly} for device='cdrom', and libvirt then passes {@code "read-only":true}),
     * and in QEMU for {@code media=cdrom} and {@code -cdrom} (blockdev.c drive_new sets
     * {@code read_only} for MEDIA_CDROM; vl.c passes {@code -cdrom} as a {@code media=cdrom}
     * drive) and for ide-cd and scsi-cd devices (hw/ide/ide-dev.c ide_dev_initfn and
     * hw/scsi/scsi-disk.c scsi_realize attach the drive read-only).
     */
    public Optional<String> readonlyBy() {
        if (readonly) {
            return Optional.of("stated");
        }
        return device == DiskDevice.CDROM ? Optional.of("cdrom") : Optional.empty();
    }

    public boolean shareable() {
        return shareable;
    }

    /** {@code <transient/>} or {@code snapshot=on}: writes go to a throw-away overlay. */
    public boolean isTransient() {
        return transientDisk;
    }

    public CacheMode cache() {
        return cache;
    }

    public Optional<String> io() {
        return Optional.ofNullable(io);
    }

    public Optional<String> discard() {
        return Optional.ofNullable(discard);
    }

    public Optional<String> detectZeroes() {
        return Optional.ofNullable(detectZeroes);
    }

    /**
     * Whether the disk is a {@code -drive key=value,...} string, to which a fix may append an option
     * after the {@link Setting#DRIVER} span; false for XML, {@code -hda FILE} shorthands and {@code -blockdev}.
     */
    public boolean driveString() {
        return driveString;
    }

    public Optional<Located> setting(Setting key) {
        return Optional.ofNullable(settings.get(key));
    }

    public Map<Setting, Located> settings() {
        return settings;
    }

    /** The settings libvirt or QEMU refuses, in source order; empty when the disk runs as is. */
    public List<Refused> refused() {
        return refused;
    }

    /**
     * Whether the disk is a {@code -blockdev} node graph: its cache switches are read from the
     * nodes where QEMU acts on them, and a fix edits those nodes (see {@link #cacheOptions()}).
     */
    public boolean blockdev() {
        return blockdev;
    }

    /**
     * The written switches that make the effective cache mode, in the order a message names them;
     * empty when nothing is written (XML fills it only with its {@code cache=} attribute).
     */
    public List<CacheOption> cacheOptions() {
        return cacheOptions;
    }

    /**
     * Switches the configuration writes where QEMU does not act on them: {@code cache.direct} or
     * {@code cache.no-flush} on a {@code -blockdev} format node, whose file node decides both.
     */
    public List<CacheOption> inertCacheOptions() {
        return inertCacheOptions;
    }

    /** Why the inert switches have no effect, for a message; null when there are none. */
    public Optional<String> cacheNote() {
        return Optional.ofNullable(cacheNote);
    }

    /** A CD-ROM or floppy with no medium: nothing is written to it. */
    public boolean isEmptyRemovable() {
        return (device == DiskDevice.CDROM || device == DiskDevice.FLOPPY) && source == null;
    }

    /**
     * Why the disk gets no cache advice (no cache mode changes what its data is exposed to), or
     * empty when it gets advice. Every rule about cache modes asks this one question, so that they
     * agree on which disks are exempt.
     */
    public Optional<String> noCacheAdvice() {
        if (readonlyBy().filter("cdrom"::equals).isPresent()) {
            return Optional.of(source == null ? "an empty CD-ROM drive"
                    : "a CD-ROM, which libvirt and QEMU open read-only");
        }
        if (readonly()) {
            return Optional.of("read-only");
        }
        if (fromShell != null) {
            return Optional.of("its cache setting is left to the shell (" + fromShell + "), which"
                    + " virtlint reads but does not run");
        }
        if (isEmptyRemovable()) {
            return Optional.of("an empty floppy drive");
        }
        if (lunPassthrough()) {
            // libvirt src/qemu/qemu_command.c qemuBuildDiskDeviceProps sets no write-cache on a lun
            // (scsi-block, to which no caching setting applies); QEMU hw/scsi/scsi-disk.c
            // scsi_block_is_passthrough and scsi_block_do_sgio send reads, writes and
            // SYNCHRONIZE CACHE to the device through SG_IO, past the host page cache, and
            // cache.no-flush does not stop a passed-through SYNCHRONIZE CACHE.
            return Optional.of("SCSI passthrough (device='lun', QEMU scsi-block): reads, writes"
                    + " and cache flushes go to the device as SCSI commands (SG_IO)");
        }
        if (sourceKind == SourceKind.VHOSTUSER) {
            return Optional.of("vhost-user: served by another process, outside QEMU's block layer");
        }
        if (sourceKind == SourceKind.DIR) {
            // QEMU block/vvfat.c builds the FAT image from the directory's files and, when
            // writable, keeps guest writes in a temporary qcow write target (enable_write_target)
            // that it opens with cache.no-flush=on whatever the disk's mode (vvfat_qcow_options),
            // and commits to the files itself: no cache mode makes those writes durable.
            return Optional.of("a host directory shown as a virtual FAT disk (vvfat): it has no"
                    + " image file of its own and no cache mode makes its writes durable");
        }
        return Optional.empty();
    }

    /**
     * A {@code device='lun'} disk that QEMU drives as scsi-block or scsi-generic. On the virtio bus
     * a lun is a virtio-blk device whose ordinary reads and writes go through the block layer.
     * libvirt picks the bus from the target name when none is given
     * (src/conf/domain_postparse.c virDomainDiskDefPostParse: vd* is virtio).
     */
    private boolean lunPassthrough() {
        if (device != DiskDevice.LUN) {
            return false;
        }
        String effectiveBus = bus != null ? bus : target.startsWith("vd") ? "virtio" : "scsi";
        return !effectiveBus.equals("virtio");
    }

    @Override
    public String toString() {
        return "Disk[" + dialect.id() + " " + target + " " + device.id() + " " + source + " cache=" + cache + "]";
    }

    /** Collects a disk's values while a parser reads them. */
    public static final class Builder {
        private final Dialect dialect;
        private final Span span;
        private DiskDevice device = DiskDevice.DISK;
        private SourceKind sourceKind = SourceKind.FILE;
        private String source;
        private String protocol;
        private String host;
        private String format;
        private String target = "";
        private String bus;
        private boolean busImplied;
        private final List<String> backingFiles = new ArrayList<>();
        private boolean blockByPath;
        private boolean readonly;
        private boolean shareable;
        private boolean transientDisk;
        private CacheMode cache = CacheMode.DEFAULT;
        private String io;
        private String discard;
        private String detectZeroes;
        private boolean driveString;
        private String fromShell;
        private final Map<Setting, Located> settings = new EnumMap<>(Setting.class);
        private final List<Refused> refused = new ArrayList<>();
        private boolean blockdev;
        private final List<CacheOption> cacheOptions = new ArrayList<>();
        private final List<CacheOption> inertCacheOptions = new ArrayList<>();
        private String cacheNote;

        private Builder(Dialect dialect, Span span) {
            this.dialect = Objects.requireNonNull(dialect);
            this.span = Objects.requireNonNull(span);
        }

        public Builder device(DiskDevice value) {
            this.device = Objects.requireNonNull(value);
            return this;
        }

        public Builder sourceKind(SourceKind value) {
            this.sourceKind = Objects.requireNonNull(value);
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder protocol(String value) {
            this.protocol = value;
            return this;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder format(String value) {
            this.format = value;
            return this;
        }

        public Builder target(String value) {
            this.target = Objects.requireNonNull(value);
            return this;
        }

        public Builder bus(String value) {
            this.bus = value;
            return this;
        }

        public Builder backingFile(String path) {
            this.backingFiles.add(path);
            return this;
        }

        public Builder busImplied(boolean value) {
            this.busImplied = value;
            return this;
        }

        public Builder blockByPath(boolean value) {
            this.blockByPath = value;
            return this;
        }

        public Builder readonly(boolean value) {
            this.readonly = value;
            return this;
        }

        public Builder shareable(boolean value) {
            this.shareable = value;
            return this;
        }

        public Builder transientDisk(boolean value) {
            this.transientDisk = value;
            return this;
        }

        public Builder cache(CacheMode value) {
            this.cache = Objects.requireNonNull(value);
            return this;
        }

        public Builder io(String value) {
            this.io = value;
            return this;
        }

        public Builder discard(String value) {
            this.discard = value;
            return this;
        }

        public Builder detectZeroes(String value) {
            this.detectZeroes = value;
            return this;
        }

        /**
         * A cache switch whose value a shell script leaves to a variable ({@code cache=$CACHE}),
         * as written: the mode is unknown, so the disk gets no cache advice.
         */
        public Builder fromShell(String setting) {
            this.fromShell = fromShell == null ? setting : fromShell + "," + setting;
            return this;
        }

        public Builder driveString(boolean value) {
            this.driveString = value;
            return this;
        }

        /** Records where a setting sits; a null location is ignored. */
        public Builder at(Setting key, Located where) {
            if (where != null) {
                settings.put(key, where);
            }
            return this;
        }

        /** Records a setting that libvirt or QEMU refuses. */
        public Builder refuse(Refused value) {
            refused.add(Objects.requireNonNull(value));
            return this;
        }

        public Builder blockdev(boolean value) {
            this.blockdev = value;
            return this;
        }

        /** Adds a written switch that makes the effective mode (see {@link Disk#cacheOptions()}). */
        public Builder cacheOption(CacheOption option) {
            cacheOptions.add(Objects.requireNonNull(option));
            return this;
        }

        /**
         * Adds a written switch QEMU does not act on and, when it matters (null when not), why
         * (see {@link Disk#inertCacheOptions()}).
         */
        public Builder inertCacheOption(CacheOption option, String note) {
            inertCacheOptions.add(Objects.requireNonNull(option));
            if (note != null) {
                cacheNote = cacheNote == null ? note : cacheNote + "; " + note;
            }
            return this;
        }

        public Disk build() {
            return new Disk(this);
        }
    }
}
