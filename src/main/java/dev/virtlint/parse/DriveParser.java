package dev.virtlint.parse;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheOption;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Located;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Refused;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceKind;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the disks of a QEMU command line: {@code -drive} strings (QemuOpts), {@code -blockdev} in
 * JSON or key=value form, and the {@code -device} that attaches either, joined by drive id or node
 * name into one {@link Disk} with its effective cache mode.
 */
public final class DriveParser {

    private static final Set<String> NETWORK_DRIVERS = Set.of("nbd", "rbd", "gluster", "iscsi", "http", "https",
            "ftp", "ftps", "ssh", "nfs", "vxhs", "sheepdog", "curl");
    private static final Set<String> PROTOCOL_DRIVERS = Set.of("file", "host_device", "host_cdrom", "nvme",
            "virtio-blk-vhost-vdpa", "virtio-blk-vhost-user", "null-co", "null-aio", "vvfat");
    /** -drive options whose values are names, where a reference glued after the name adds options. */
    private static final List<String> GLUED_KEYS = List.of("if", "format", "media", "aio", "discard",
            "detect-zeroes", "snapshot", "readonly", "read-only", "copy-on-read", "werror", "rerror");
    /** The keys of the individual cache switches, as {@code -drive} and {@code -blockdev} spell them. */
    private static final Map<Setting, String> SWITCH_KEYS = Map.of(Setting.CACHE_WRITEBACK, "cache.writeback",
            Setting.CACHE_DIRECT, "cache.direct", Setting.CACHE_NO_FLUSH, "cache.no-flush");
    private static final Map<String, Integer> LEGACY_DRIVES = Map.of(
            "-hda", 0, "-hdb", 1, "-hdc", 2, "-hdd", 3, "-cdrom", 2, "-fda", 0, "-fdb", 1);

    private final SourceText source;
    private final Dialect dialect;
    private final List<Options> drives = new ArrayList<>();
    private final Map<String, Options> blockdevs = new HashMap<>();
    private final List<Options> devices = new ArrayList<>();
    private final Set<Options> floppyGlobals = new HashSet<>();
    /** {@code -hda FILE} and friends: drives without an option string of their own. */
    private final Set<Options> shorthands = new HashSet<>();
    private boolean globalSnapshot;
    /**
     * Whether a drive without {@code if=} is known to be IDE: the command runs qemu-system-x86_64
     * or qemu-system-i386 with a {@code pc} or {@code q35} machine (or none named), whose
     * MachineClass leaves {@code block_default_type} at IF_IDE (hw/core/machine.c); other
     * machines set it (hw/arm/virt.c, hw/s390x/s390-virtio-ccw.c, hw/riscv/virt.c,
     * hw/loongarch/virt.c: IF_VIRTIO). A lone drive string names no machine.
     */
    private boolean ideByDefault;

    private DriveParser(SourceText source, Dialect dialect) {
        this.source = source;
        this.dialect = dialect;
    }

    /** The disks of one drive string, such as {@code file=/a.img,if=virtio,cache=none}. */
    public static List<Disk> parseDrive(SourceText source, MappedText value, Dialect dialect) {
        DriveParser p = new DriveParser(source, dialect);
        p.drives.add(QemuOpts.parse(value, null));
        return p.disks();
    }

    /** The disks of a whole argument vector (one QEMU command line). */
    static List<Disk> parseArgv(SourceText source, List<MappedText> argv, Dialect dialect) throws ParseException {
        DriveParser p = new DriveParser(source, dialect);
        boolean x86 = false;
        String machine = null;
        for (int i = 0; i < argv.size(); i++) {
            String word = argv.get(i).text();
            String option = word.startsWith("--") ? word.substring(1) : word;
            boolean hasValue = i + 1 < argv.size();
            switch (option) {
                case "-drive" -> {
                    if (hasValue) {
                        p.drives.add(QemuOpts.parse(argv.get(++i), null));
                    }
                }
                case "-blockdev" -> {
                    if (hasValue) {
                        Options b = p.structured(argv.get(++i));
                        b.value("node-name").ifPresent(name -> p.blockdevs.put(name, b));
                    }
                }
                case "-device" -> {
                    if (hasValue) {
                        Options device = p.structured(argv.get(++i));
                        if (!p.floppyController(device, "driveA", "driveB")) {
                            p.devices.add(device);
                        }
                    }
                }
                case "-global" -> {
                    if (hasValue) {
                        p.global(argv.get(++i));
                    }
                }
                case "-snapshot" -> p.globalSnapshot = true;
                case "-machine", "-M" -> {
                    // Read, not taken: the value is left to the default branch as before.
                    if (hasValue) {
                        machine = argv.get(i + 1).text();
                    }
                }
                default -> {
                    x86 |= word.endsWith("qemu-system-x86_64") || word.endsWith("qemu-system-i386");
                    if (LEGACY_DRIVES.containsKey(option) && hasValue) {
                        Options legacy = legacyDrive(option, argv.get(++i));
                        p.drives.add(legacy);
                        p.shorthands.add(legacy);
                    }
                }
            }
        }
        p.ideByDefault = x86 && pcMachine(machine);
        return p.disks();
    }

    /** Whether a {@code -machine} value (null when none is given) names a pc or q35 machine. */
    private static boolean pcMachine(String machine) {
        if (machine == null) {
            return true;
        }
        String type = null;
        for (String part : machine.split(",")) {
            if (part.startsWith("type=")) {
                type = part.substring(5);
            } else if (type == null && !part.contains("=")) {
                type = part;
            }
        }
        return type == null || type.startsWith("pc") || type.startsWith("q35");
    }

    /** {@code -hda FILE} and friends are shorthand for a {@code -drive} with only a file. */
    private static Options legacyDrive(String option, MappedText file) {
        Options plain = QemuOpts.parse(MappedText.identity("", file.sourceOffset(0)), null);
        Map<String, Options.Option> values = new java.util.LinkedHashMap<>(plain.values());
        values.put("file", new Options.Option("file", file.text(), file.sourceSpan(), file.sourceSpan()));
        String iface = option.startsWith("-fd") ? "floppy" : "ide";
        Span here = Span.at(file.sourceOffset(0));
        values.put("if", new Options.Option("if", iface, here, here));
        values.put("index", new Options.Option("index", String.valueOf(LEGACY_DRIVES.get(option)), here, here));
        if (option.equals("-cdrom")) {
            values.put("media", new Options.Option("media", "cdrom", here, here));
        }
        return new Options(file.sourceSpan(), file.text(), values);
    }

    /** {@code -global isa-fdc.driveA=ID} attaches a floppy drive in older libvirt command lines. */
    private void global(MappedText value) {
        floppyController(QemuOpts.parse(value, null), ".driveA", ".driveB");
    }

    /**
     * A floppy controller names its drives in {@code driveA} and {@code driveB} properties (on
     * {@code -device isa-fdc} or through {@code -global}); each becomes a floppy device of its own.
     */
    private boolean floppyController(Options options, String keyA, String keyB) {
        boolean found = false;
        for (Options.Option o : options.values().values()) {
            if (o.key().endsWith(keyA) || o.key().endsWith(keyB)) {
                Map<String, Options.Option> values = new java.util.LinkedHashMap<>();
                values.put("driver", new Options.Option("driver", "floppy", o.keySpan(), o.keySpan()));
                values.put("drive", o);
                Options device = new Options(options.span(), options.text(), values);
                floppyGlobals.add(device);
                devices.add(device);
                found = true;
            }
        }
        return found;
    }

    private Options structured(MappedText value) throws ParseException {
        String text = value.text();
        // QEMU reads JSON only when '{' is the very first character (qapi/qobject-input-visitor.c
        // qobject_input_visitor_new_str for -blockdev, vl.c qemu_init for -device); after a blank
        // it reads key=value options, and refuses them: the driver named would start with '{'.
        int firstNonSpace = 0;
        while (firstNonSpace < text.length() && Character.isWhitespace(text.charAt(firstNonSpace))) {
            firstNonSpace++;
        }
        if (firstNonSpace > 0 && firstNonSpace < text.length()
                && text.charAt(firstNonSpace) == '{') {
            throw ParseException.at(source, value.sourceOffset(0), "QEMU reads this value as"
                    + " key=value options, not JSON: a JSON value must start with '{', without a"
                    + " blank before it");
        }
        if (!text.isEmpty() && text.charAt(0) == '{') {
            try {
                return JsonOptions.parse(value);
            } catch (JsonOptions.JsonException e) {
                throw ParseException.at(source, value.sourceOffset(e.index), e.getMessage());
            }
        }
        return QemuOpts.parse(value, "driver");
    }

    private List<Disk> disks() {
        record Anchored(int at, Disk disk) {
        }
        List<Anchored> out = new ArrayList<>();
        Set<Options> usedDrives = new HashSet<>();
        Map<String, Options> drivesById = new HashMap<>();
        for (Options d : drives) {
            d.value("id").ifPresent(id -> drivesById.put(id, d));
        }
        for (Options device : devices) {
            String driver = device.value("driver").orElse("");
            Optional<String> ref = device.value("drive");
            if (ref.isPresent()) {
                Options drive = drivesById.get(ref.get());
                if (drive != null) {
                    usedDrives.add(drive);
                    out.add(new Anchored(device.span().start(), fromDrive(drive, device)));
                } else if (blockdevs.containsKey(ref.get())) {
                    out.add(new Anchored(device.span().start(), fromBlockdev(blockdevs.get(ref.get()), device)));
                }
            } else if (driver.endsWith("-cd") || driver.equals("floppy") || driver.equals("usb-storage")) {
                out.add(new Anchored(device.span().start(), emptyDrive(device)));
            } else if (driver.startsWith("vhost-user-blk")) {
                out.add(new Anchored(device.span().start(), vhostUser(device)));
            }
        }
        Map<Options, String> names = defaultNames(drives);
        for (Options drive : drives) {
            String iface = drive.value("if").orElse("ide");
            if (usedDrives.contains(drive) || iface.equals("none") || iface.equals("pflash") || iface.equals("mtd")) {
                continue;
            }
            out.add(new Anchored(drive.span().start(), fromDrive(drive, null, names.get(drive))));
        }
        // Our own lambda, not Comparator's combinators: the class-data archive keeps ours; the JDK's are made at run time.
        out.sort((a, b) -> Integer.compare(a.at(), b.at()));
        return out.stream().map(Anchored::disk).toList();
    }

    private Disk fromDrive(Options drive, Options device) {
        return fromDrive(drive, device, "");
    }

    private Disk fromDrive(Options drive, Options device, String defaultName) {
        Span anchor = device != null && !floppyGlobals.contains(device) ? device.span() : drive.span();
        Disk.Builder b = Disk.builder(dialect, anchor);
        String iface = drive.value("if").orElse("ide");

        refusedDriveOptions(b, drive);
        // blockdev.c blockdev_init / extract_common_blockdev_options: cache= sets the three
        // switches, and cache.writeback, cache.direct, cache.no-flush given beside it win over it.
        CacheMode cache = CacheMode.DEFAULT;
        // Only a name bdrv_parse_cache_mode takes, exactly as written; any other is refused above.
        Optional<CacheMode.Preset> preset = drive.value("cache")
                .filter(Accepted.QEMU_CACHE::contains).flatMap(CacheMode.Preset::byName);
        if (preset.isPresent()) {
            cache = preset.get().explicitMode();
            b.cacheOption(new CacheOption(Setting.CACHE, "cache", drive.value("cache").get(), ""));
        }
        b.at(Setting.CACHE, drive.located("cache"));
        for (String key : List.of("cache", "cache.writeback", "cache.direct", "cache.no-flush")) {
            drive.value(key).filter(v -> v.contains("$")).ifPresent(v -> b.fromShell(key + "=" + v));
        }
        // An item that is a shell expansion as a whole (file=a.img,if=virtio,$CACHE_OPT) becomes
        // whatever options the variable holds when the script runs, a cache= among them; and
        // util/qemu-option.c qemu_opt_find takes the last of two, so an appended cache= would
        // override it.
        for (String key : drive.values().keySet()) {
            if (key.contains("$")) {
                b.fromShell(key);
            }
        }
        // The same for a reference glued after a word of a value that takes a name
        // (if=virtio${DRIVE_OPTS}, format=qcow2$EXTRA): such a suffix conventionally carries more
        // options (DRIVE_OPTS=,cache=unsafe), not more letters of the name.
        for (String key : GLUED_KEYS) {
            drive.value(key).filter(v -> v.indexOf('$') > 0).ifPresent(v -> b.fromShell(key + "=" + v));
        }
        Optional<Boolean> wb = drive.bool("cache.writeback");
        Optional<Boolean> direct = drive.bool("cache.direct");
        Optional<Boolean> noFlush = drive.bool("cache.no-flush");
        if (wb.isPresent()) {
            cache = cache.withWriteback(wb.get());
        }
        if (direct.isPresent()) {
            cache = cache.withDirect(direct.get());
        }
        if (noFlush.isPresent()) {
            cache = cache.withNoFlush(noFlush.get());
        }
        for (Setting s : List.of(Setting.CACHE_WRITEBACK, Setting.CACHE_DIRECT, Setting.CACHE_NO_FLUSH)) {
            String key = SWITCH_KEYS.get(s);
            if (drive.bool(key).isPresent()) {
                b.cacheOption(new CacheOption(s, key, drive.value(key).get(), ""));
            }
            b.at(s, drive.located(key));
        }
        b.at(Setting.DRIVER, new Located(drive.text(), drive.span()));
        b.driveString(!shorthands.contains(drive));

        String file = drive.value("file").orElse(null);
        if (file != null && !file.isEmpty()) {
            describeFileOption(b, file, drive.value("file.driver")
                    .orElse(drive.value("driver").orElse("")));
            b.at(Setting.SOURCE, drive.located("file"));
        } else if (drive.hasPrefix("file.")) {
            describeNode(b, new Node(drive, "file."));
        }
        drive.value("format").ifPresent(b::format);
        b.at(Setting.FORMAT, drive.located("format"));
        // blockdev.c drive_new renames readonly to read-only; either spelling works.
        String readonlyKey = drive.get("readonly").isPresent() ? "readonly" : "read-only";
        b.readonly(drive.bool(readonlyKey).orElse(false));
        b.at(Setting.READONLY, drive.located(readonlyKey));
        b.transientDisk(globalSnapshot || drive.bool("snapshot").orElse(false));
        b.at(Setting.TRANSIENT, drive.located("snapshot"));
        drive.value("aio").ifPresent(b::io);
        b.at(Setting.IO, drive.located("aio"));
        // The model names discard as libvirt does: QEMU's on and off are unmap and ignore.
        drive.value("discard").map(Accepted::qemuDiscard).ifPresent(b::discard);
        b.at(Setting.DISCARD, drive.located("discard"));
        drive.value("detect-zeroes").ifPresent(b::detectZeroes);
        b.at(Setting.DETECT_ZEROES, drive.located("detect-zeroes"));

        DiskDevice kind = drive.value("media").filter("cdrom"::equals).isPresent() ? DiskDevice.CDROM
                : iface.equals("floppy") ? DiskDevice.FLOPPY : DiskDevice.DISK;
        String bus = iface;
        if (device != null) {
            String driver = device.value("driver").orElse("");
            kind = deviceKind(driver, kind);
            bus = busOf(driver, bus);
            cache = applyWriteCache(b, cache, device);
        }
        // Without if= (and for -hda and friends) QEMU takes the machine's default interface.
        boolean implied = device == null && !ideByDefault && !iface.equals("floppy")
                && (drive.value("if").isEmpty() || shorthands.contains(drive));
        b.device(kind).bus(bus).busImplied(implied).cache(cache);
        if (!shorthands.contains(drive)) {
            // -cdrom FILE and friends imply their interface: no text in the file holds it.
            b.at(Setting.BUS, drive.located("if"));
        }

        String target = device != null ? device.value("id").orElse(null) : null;
        Located targetAt = device != null ? device.located("id") : null;
        if (target == null) {
            target = drive.value("id").orElse(null);
            targetAt = drive.located("id");
        }
        if (target == null) {
            target = defaultName;
        }
        b.target(target).at(Setting.TARGET, targetAt);
        return b.build();
    }

    /**
     * The values and names of a {@code -drive} that QEMU refuses: blockdev.c drive_new (cache, if,
     * media, the legacy options), blockdev_init and extract_common_blockdev_options (aio,
     * detect-zeroes, the booleans), block.c bdrv_open_common (discard), and option names no parser
     * takes (see {@link Accepted#driveOption}).
     */
    private static void refusedDriveOptions(Disk.Builder b, Options drive) {
        for (Options.Option o : drive.values().values()) {
            boolean flag = o.value().equals("on") && o.valueSpan().isEmpty();
            Span at = o.valueSpan();
            String v = o.value();
            String key = o.key();
            String q = Accepted.QEMU;
            Optional<Refused> refused = switch (key) {
                case "cache" -> Accepted.value(key, v, at, Accepted.QEMU_CACHE, q);
                case "aio" -> Accepted.value(key, v, at, Accepted.QEMU_AIO, q);
                case "discard" -> Accepted.value(key, v, at, Accepted.QEMU_DISCARD, q);
                case "detect-zeroes" -> Accepted.value(key, v, at, Accepted.QEMU_DETECT_ZEROES, q);
                case "if" -> Accepted.value(key, v, at, Accepted.QEMU_IF, q);
                case "media" -> Accepted.value(key, v, at, Accepted.QEMU_MEDIA, q);
                case "format" -> Accepted.nearMiss(key, v, at, Accepted.QEMU_FORMATS, q);
                case "snapshot", "readonly", "read-only", "auto-read-only", "copy-on-read",
                        "force-share", "cache.direct", "cache.no-flush", "cache.writeback" ->
                        Accepted.value(key, v, at, Accepted.QEMU_BOOL, q);
                default -> Accepted.driveOption(key, v, o.keySpan(), flag);
            };
            refused.ifPresent(b::refuse);
        }
    }

    /**
     * The id QEMU gives each {@code -drive} without one, as blockdev.c drive_new does, drives taken
     * in command-line order: the interface ({@code if=}, default {@code ide}: the PC machines'
     * block_default_type) has {@code if_max_devs} units per bus (ide 2, scsi 7, every other
     * interface 0, meaning one bus of any number of units); {@code index=N} places the drive at
     * bus {@code N / max_devs}, unit {@code N % max_devs} (drive_index_to_bus_id,
     * drive_index_to_unit_id; unit N when max_devs is 0), {@code bus=}/{@code unit=} place it
     * directly, and with no unit the first free unit from unit 0 of its bus is taken, moving on to
     * the next bus when a bus is full. The name is {@code "%s%i%s%i"} of if_name, bus, media and
     * unit ({@code ide0-hd0}, {@code ide1-cd0}, {@code scsi0-hd3}), or {@code "%s%s%i"} when
     * max_devs is 0 ({@code virtio0}, {@code floppy1}, {@code sd0}, {@code pflash0}); the media
     * part is {@code -cd} for {@code media=cdrom} and {@code -hd} otherwise, on ide and scsi only.
     * So two {@code media=cdrom} drives are {@code ide0-cd0} and {@code ide0-cd1}, and
     * {@code -cdrom} (index 2) is {@code ide1-cd0}. Assumed: the machine does not change the units
     * per bus (q35 sets units_per_default_bus to 1 for its default interface; virtlint does not
     * read {@code -machine}). A slot given twice is an error for QEMU ("drive with bus=%d,
     * unit=%d (index=%d) exists"); here both drives keep the name, and fix tells them apart by
     * position.
     */
    private static Map<Options, String> defaultNames(List<Options> drives) {
        // By identity: two -drive "$DRIVE" of one variable are equal records but two drives.
        Map<Options, String> names = new java.util.IdentityHashMap<>();
        Map<String, Set<Long>> taken = new HashMap<>();
        // Where the search for a free unit from a given bus goes on: units are only ever taken, so
        // the first free one never moves back, and the search stays linear in the drives.
        Map<String, Long> firstFree = new HashMap<>();
        for (Options drive : drives) {
            String iface = drive.value("if").orElse("ide");
            int maxDevs = iface.equals("ide") ? 2 : iface.equals("scsi") ? 7 : 0;
            int bus = number(drive, "bus", 0);
            int unit = number(drive, "unit", -1);
            int index = number(drive, "index", -1);
            if (index >= 0) {
                bus = maxDevs > 0 ? index / maxDevs : 0;
                unit = maxDevs > 0 ? index % maxDevs : index;
            }
            Set<Long> used = taken.computeIfAbsent(iface, k -> new HashSet<>());
            if (unit < 0) {
                // Slots in search order: unit 0, 1, ... of the bus, then of the next bus when a bus
                // holds maxDevs units (one bus of any number of units when maxDevs is 0).
                String key = iface + " " + bus;
                long at = firstFree.getOrDefault(key, maxDevs > 0 ? (long) bus * maxDevs : 0L);
                while (used.contains(maxDevs > 0 ? slot((int) (at / maxDevs), (int) (at % maxDevs))
                        : slot(bus, (int) at))) {
                    at++;
                }
                firstFree.put(key, at);
                if (maxDevs > 0) {
                    bus = (int) (at / maxDevs);
                    unit = (int) (at % maxDevs);
                } else {
                    unit = (int) at;
                }
            }
            used.add(slot(bus, unit));
            boolean cdrom = drive.value("media").filter("cdrom"::equals).isPresent();
            String media = iface.equals("ide") || iface.equals("scsi") ? (cdrom ? "-cd" : "-hd") : "";
            names.put(drive, maxDevs > 0 ? iface + bus + media + unit : iface + media + unit);
        }
        return names;
    }

    private static long slot(int bus, int unit) {
        return ((long) bus << 32) | (unit & 0xffffffffL);
    }

    /** A number option as QEMU's qemu_opt_get_number reads it; anything else gives the default. */
    private static int number(Options drive, String key, int otherwise) {
        return drive.value(key).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }).orElse(otherwise);
    }

    /**
     * {@code write-cache=on|off} on the device overrides the backend's writeback switch; {@code auto}
     * (the default) keeps it. QEMU hw/block/block.c blkconf_apply_backend_options: ON_OFF_AUTO_AUTO
     * takes blk_enable_write_cache(blk), and blk_set_enable_write_cache(blk, wce) sets what the guest
     * sees (BlockConf.wce, the device's write-cache property). The property is an OnOffAuto
     * (DEFINE_BLOCK_PROPERTIES_BASE), so {@code yes} or {@code true} is refused, unlike a QemuOpts
     * boolean.
     */
    private static CacheMode applyWriteCache(Disk.Builder b, CacheMode cache, Options device) {
        // A device item that is a shell reference as a whole ($DEV_OPTS) may hold write-cache=.
        device.values().keySet().stream().filter(k -> k.contains("$")).forEach(b::fromShell);
        Optional<Options.Option> writeCache = device.get("write-cache");
        b.at(Setting.WRITE_CACHE, device.located("write-cache"));
        if (writeCache.isEmpty()) {
            return cache;
        }
        String v = writeCache.get().value();
        if (v.contains("$")) {
            b.fromShell("write-cache=" + v);
        }
        Accepted.value("write-cache", v, writeCache.get().valueSpan(), Accepted.QEMU_ON_OFF_AUTO,
                Accepted.QEMU).ifPresent(b::refuse);
        if (!v.equals("on") && !v.equals("off")) {
            return cache;
        }
        b.cacheOption(new CacheOption(Setting.WRITE_CACHE, "write-cache", v, "on the device"));
        return cache.withWriteback(v.equals("on"));
    }

    private static DiskDevice deviceKind(String driver, DiskDevice fallback) {
        if (driver.endsWith("-cd")) {
            return DiskDevice.CDROM;
        }
        if (driver.equals("floppy")) {
            return DiskDevice.FLOPPY;
        }
        if (driver.equals("scsi-block") || driver.equals("scsi-generic")) {
            return DiskDevice.LUN;
        }
        if (driver.isEmpty()) {
            return fallback;
        }
        return fallback == DiskDevice.CDROM ? fallback : DiskDevice.DISK;
    }

    private static String busOf(String driver, String fallback) {
        if (driver.startsWith("virtio-blk") || driver.startsWith("vhost-user-blk")) {
            return "virtio";
        }
        if (driver.startsWith("ide-")) {
            return "ide";
        }
        if (driver.startsWith("scsi-")) {
            return "scsi";
        }
        if (driver.startsWith("usb-")) {
            return "usb";
        }
        if (driver.equals("floppy")) {
            return "fdc";
        }
        if (driver.startsWith("nvme")) {
            return "nvme";
        }
        if (driver.equals("sd-card")) {
            return "sd";
        }
        return fallback;
    }

    /** A {@code -drive file=} value: a path, or a protocol URI or pseudo-URI such as {@code rbd:pool/image}. */
    private static void describeFileOption(Disk.Builder b, String file, String driver) {
        if (file.startsWith("fat:")) {
            // QEMU block/vvfat.c (protocol_name "fat", vvfat_parse_filename): fat:[12:|16:|32:]
            // [floppy:][rw:]DIR shows a host directory as a FAT disk; the directory follows the
            // last colon. The same kind of disk as libvirt's type='dir'.
            b.sourceKind(SourceKind.DIR).source(file.substring(file.lastIndexOf(':') + 1));
            return;
        }
        int colon = file.indexOf(':');
        String scheme = colon > 0 ? file.substring(0, colon) : "";
        String protocol = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        if (!protocol.isEmpty() && !file.startsWith("/") && (NETWORK_DRIVERS.contains(protocol) || file.startsWith(scheme + "://"))) {
            b.sourceKind(SourceKind.NETWORK).protocol(protocol).source(file);
            int hostStart = file.indexOf("://");
            if (hostStart > 0) {
                String rest = file.substring(hostStart + 3);
                int end = rest.indexOf('/');
                String host = end < 0 ? rest : rest.substring(0, end);
                if (!host.isEmpty()) {
                    b.host(host);
                }
            }
            return;
        }
        boolean stated = driver.equals("host_device") || driver.equals("host_cdrom");
        boolean byPath = !stated && !driver.equals("file") && file.startsWith("/dev/")
                && !underFileMount(file);
        b.sourceKind(stated || byPath ? SourceKind.BLOCK : SourceKind.FILE).blockByPath(byPath)
                .source(file);
    }

    /**
     * The mounts under {@code /dev/} that hold files, not device nodes, on every systemd host:
     * {@code /dev/shm} (tmpfs), {@code /dev/hugepages} (hugetlbfs) and {@code /dev/mqueue}
     * (mqueue), systemd's mount units dev-shm, dev-hugepages and dev-mqueue. An image there is a
     * file that QEMU opens with the disk's cache mode; a host profile may state others
     * ({@code advise/Advisor.localPath}).
     */
    private static final List<String> FILE_MOUNTS_UNDER_DEV =
            List.of("/dev/shm/", "/dev/hugepages/", "/dev/mqueue/");

    private static boolean underFileMount(String path) {
        for (String m : FILE_MOUNTS_UNDER_DEV) {
            if (path.startsWith(m)) {
                return true;
            }
        }
        return false;
    }

    /** A node of a blockdev graph: the options of one {@code -blockdev}, or a nested {@code file.} object. */
    private record Node(Options options, String prefix) {

        Optional<String> value(String key) {
            return options.value(prefix + key);
        }

        Located located(String key) {
            return options.located(prefix + key);
        }

        Optional<Boolean> bool(String key) {
            return options.bool(prefix + key);
        }
    }

    /** The node below this one through its {@code file} child, by reference or inline. */
    private Optional<Node> child(Node node) {
        Optional<String> ref = node.value("file");
        if (ref.isPresent() && blockdevs.containsKey(ref.get())) {
            return Optional.of(new Node(blockdevs.get(ref.get()), ""));
        }
        if (node.options().hasPrefix(node.prefix() + "file.")) {
            return Optional.of(new Node(node.options(), node.prefix() + "file."));
        }
        return Optional.empty();
    }

    /**
     * A disk from a {@code -blockdev} graph: the device's node, then down its {@code file} children
     * to the protocol node that opens the file or device. Each switch is read from the node where
     * QEMU acts on it:
     * <ul>
     * <li>O_DIRECT: the protocol node's own {@code cache.direct}. QEMU block/file-posix.c
     * raw_open_common / raw_parse_flags add O_DIRECT when that node's open flags hold
     * BDRV_O_NOCACHE; a format node (qcow2, raw) opens no file (block.c bdrv_open_driver calls
     * bdrv_file_open only for protocol drivers), so its {@code cache.direct} changes nothing.</li>
     * <li>Flushes: bdrv_co_flush (block/io.c) checks BDRV_O_NO_FLUSH per node: with it a node skips
     * only its own flush_to_disk and still flushes its children (label flush_children), so a guest
     * flush reaches the disk unless the protocol node, the one whose flush_to_disk runs fdatasync
     * (file-posix raw_co_flush_to_disk), has {@code cache.no-flush}.</li>
     * <li>What the guest sees: the device's {@code write-cache}, else on, the default of the
     * BlockBackend the device creates (block/block-backend.c blk_new calls
     * blk_set_enable_write_cache(blk, true); hw/block/block.c blkconf_apply_backend_options keeps
     * it for write-cache=auto). {@code -blockdev} has no {@code cache.writeback}: qapi/block-core.json
     * BlockdevCacheOptions holds only direct and no-flush.</li>
     * </ul>
     * Options pass between nodes only into a child written inline ({@code "file":{...}} or
     * {@code file.*}): block.c bdrv_inherited_options copies cache.direct and cache.no-flush from the
     * parent where the child does not set them (qdict_copy_default). A child named by reference is a
     * node opened on its own (bdrv_open_inherit returns the existing node for a reference) with its
     * own defaults: blockdev.c bds_tree_init sets cache.direct and cache.no-flush to off.
     */
    private Disk fromBlockdev(Options top, Options device) {
        Disk.Builder b = Disk.builder(dialect, device.span()).blockdev(true);
        List<Node> chain = new ArrayList<>();
        Node node = new Node(top, "");
        Set<Options> seen = new HashSet<>();
        while (node != null && chain.size() < 16) {
            chain.add(node);
            if (node.prefix().isEmpty() && !seen.add(node.options())) {
                break;
            }
            node = child(node).orElse(null);
        }
        refusedBlockdevOptions(b, chain);
        // As on a -drive: an item that is a shell reference as a whole ($BLOCKDEV_OPTS) may hold
        // cache.direct or cache.no-flush.
        for (Node n : chain) {
            if (n.prefix().isEmpty()) { // an inline child's options are its parent's
                n.options().values().keySet().stream().filter(k -> k.contains("$")).forEach(b::fromShell);
            }
        }
        Node first = chain.get(0);
        int bottom = chain.size() - 1;
        Node protocolNode = chain.get(bottom);

        CacheMode cache = CacheMode.DEFAULT;
        int directAt = acting(chain, bottom, "cache.direct");
        if (directAt >= 0) {
            Node n = chain.get(directAt);
            cache = cache.withDirect(n.bool("cache.direct").get());
            b.at(Setting.CACHE_DIRECT, n.located("cache.direct"));
            b.cacheOption(written(n, Setting.CACHE_DIRECT, "cache.direct"));
        }
        int noFlushAt = acting(chain, bottom, "cache.no-flush");
        if (noFlushAt >= 0) {
            Node n = chain.get(noFlushAt);
            cache = cache.withNoFlush(n.bool("cache.no-flush").get());
            b.at(Setting.CACHE_NO_FLUSH, n.located("cache.no-flush"));
            b.cacheOption(written(n, Setting.CACHE_NO_FLUSH, "cache.no-flush"));
        }
        for (int i = 0; i < chain.size(); i++) {
            Node n = chain.get(i);
            if (i != directAt && n.bool("cache.direct").isPresent()) {
                boolean differs = n.bool("cache.direct").get() != cache.direct();
                b.inertCacheOption(written(n, Setting.CACHE_DIRECT, "cache.direct"), !differs ? null
                        : show(written(n, Setting.CACHE_DIRECT, "cache.direct")) + " has no effect: O_DIRECT is"
                        + " decided by " + label(protocolNode) + ", which opens the image");
            }
            if (i != noFlushAt && n.bool("cache.no-flush").isPresent()) {
                boolean differs = n.bool("cache.no-flush").get() != cache.noFlush();
                b.inertCacheOption(written(n, Setting.CACHE_NO_FLUSH, "cache.no-flush"), !differs ? null
                        : show(written(n, Setting.CACHE_NO_FLUSH, "cache.no-flush")) + " has no effect on"
                        + " durability: guest flushes still reach " + label(protocolNode));
            }
        }
        cache = applyWriteCache(b, cache, device);
        b.cache(cache);
        // Where a switch would go: the -blockdev that opens the image.
        b.at(Setting.DRIVER, new Located(protocolNode.options().text(), protocolNode.options().span()));

        describeNode(b, protocolNode);
        String topDriver = first.value("driver").orElse("");
        if (chain.size() > 1 || !isProtocol(topDriver)) {
            b.format(topDriver).at(Setting.FORMAT, first.located("driver"));
        } else {
            b.format("raw");
        }
        b.readonly(first.bool("read-only").orElse(false));
        b.at(Setting.READONLY, first.located("read-only"));
        protocolNode.value("aio").ifPresent(b::io);
        b.at(Setting.IO, protocolNode.located("aio"));
        discardAndZeroes(b, chain);
        String driver = device.value("driver").orElse("");
        b.device(deviceKind(driver, protocolNode.value("driver").filter("host_cdrom"::equals).isPresent()
                ? DiskDevice.CDROM : DiskDevice.DISK));
        b.bus(busOf(driver, null));
        String target = device.value("id").orElse(device.value("drive").orElse(""));
        b.target(target).at(Setting.TARGET, device.located("id"));
        return b.build();
    }

    /**
     * The values of a -blockdev node that QEMU refuses before it opens anything: vl.c reads
     * -blockdev with the QAPI visitor (visit_type_BlockdevOptions), so discard, detect-zeroes and
     * a file node's aio must be names of their qapi/block-core.json enums (BlockdevDiscardOptions,
     * BlockdevDetectZeroesOptions, BlockdevAioOptions).
     */
    private static void refusedBlockdevOptions(Disk.Builder b, List<Node> chain) {
        Set<Options.Option> seen = new HashSet<>();
        for (Node n : chain) {
            for (String key : List.of("discard", "detect-zeroes", "aio")) {
                Optional<Options.Option> o = n.options().get(n.prefix() + key);
                if (o.isEmpty() || !seen.add(o.get())) {
                    continue;
                }
                String name = o.get().key();
                String v = o.get().value();
                Span at = o.get().valueSpan();
                Optional<Refused> refused = switch (key) {
                    case "discard" -> Accepted.blockdevDiscard(name, v, at);
                    case "detect-zeroes" ->
                            Accepted.value(name, v, at, Accepted.QEMU_DETECT_ZEROES, Accepted.QEMU);
                    default -> Accepted.value(name, v, at, Accepted.QEMU_AIO, Accepted.QEMU);
                };
                refused.ifPresent(b::refuse);
            }
        }
    }

    /**
     * The index of the node whose written {@code key} applies to node {@code at}: its own, else,
     * for a child written inline, its parent's (block.c bdrv_inherited_options); -1 when the value
     * is the default (off; blockdev.c bds_tree_init).
     */
    private static int acting(List<Node> chain, int at, String key) {
        for (int i = at; i >= 0; i--) {
            Node n = chain.get(i);
            if (n.bool(key).isPresent()) {
                return i;
            }
            if (n.prefix().isEmpty()) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * detect-zeroes and discard are read from the same node: block.c bdrv_open_common parses both
     * per node, and bdrv_parse_detect_zeroes refuses detect-zeroes=unmap unless that node's own
     * open flags hold BDRV_O_UNMAP (its discard=unmap). A child written inline gets discard=unmap by
     * default (bdrv_inherited_options, qdict_set_default_str).
     */
    private static void discardAndZeroes(Disk.Builder b, List<Node> chain) {
        Node zeroes = null;
        for (Node n : chain) {
            if (n.value("detect-zeroes").isPresent()) {
                zeroes = n;
                break;
            }
        }
        if (zeroes != null) {
            b.detectZeroes(zeroes.value("detect-zeroes").get())
                    .at(Setting.DETECT_ZEROES, zeroes.located("detect-zeroes"));
            if (zeroes.value("discard").isPresent()) {
                b.discard(zeroes.value("discard").get()).at(Setting.DISCARD, zeroes.located("discard"));
            } else if (!zeroes.prefix().isEmpty()) {
                b.discard("unmap");
            }
            return;
        }
        for (Node n : chain) {
            if (n.value("discard").isPresent()) {
                b.discard(n.value("discard").get()).at(Setting.DISCARD, n.located("discard"));
                return;
            }
        }
    }

    /** A written switch of a node, named as the configuration writes it. */
    private static CacheOption written(Node n, Setting setting, String key) {
        String name = n.options().value("node-name").orElse(null);
        return new CacheOption(setting, n.prefix() + key, n.value(key).orElse(""),
                name == null ? "on the " + n.options().value("driver").orElse("unnamed") + " node" : "on node " + name);
    }

    private static String show(CacheOption o) {
        return o.key() + "=" + o.value() + " " + o.where();
    }

    /** How a message names a node: {@code node NAME}, or the driver of one without a name. */
    private static String label(Node n) {
        Optional<String> name = n.value("node-name");
        if (name.isPresent()) {
            return "node " + name.get();
        }
        String driver = n.value("driver").orElse("file");
        return n.prefix().isEmpty() ? "the " + driver + " node" : "its " + driver + " child";
    }

    private static boolean isProtocol(String driver) {
        return PROTOCOL_DRIVERS.contains(driver) || NETWORK_DRIVERS.contains(driver);
    }

    /** Source kind, path or network name and host, read off a protocol node. */
    private static void describeNode(Disk.Builder b, Node node) {
        String driver = node.value("driver").orElse("file");
        switch (driver) {
            case "file" -> b.sourceKind(SourceKind.FILE).source(node.value("filename").orElse(null))
                    .at(Setting.SOURCE, node.located("filename"));
            case "host_device", "host_cdrom" -> b.sourceKind(SourceKind.BLOCK).source(node.value("filename").orElse(null))
                    .at(Setting.SOURCE, node.located("filename"));
            case "nvme" -> b.sourceKind(SourceKind.NVME)
                    .source("nvme://" + node.value("device").orElse("") + "/" + node.value("namespace").orElse("1"))
                    .at(Setting.SOURCE, node.located("device"));
            case "vvfat" -> b.sourceKind(SourceKind.DIR).source(node.value("dir").orElse(null))
                    .at(Setting.SOURCE, node.located("dir"));
            case "virtio-blk-vhost-vdpa" -> b.sourceKind(SourceKind.VHOSTVDPA).source(node.value("path").orElse(null))
                    .at(Setting.SOURCE, node.located("path"));
            default -> {
                String host = firstPresent(node, "server.host", "server.0.host", "server.path", "server.0.path",
                        "portal", "host").orElse(null);
                String name = firstPresent(node, "export", "image", "path", "url", "target", "filename").orElse("");
                Optional<String> pool = node.value("pool");
                if (pool.isPresent() && node.value("image").isPresent()) {
                    name = pool.get() + "/" + name;
                }
                if (node.value("volume").isPresent()) {
                    name = node.value("volume").get() + "/" + name;
                }
                b.sourceKind(SourceKind.NETWORK).protocol(driver).host(host)
                        .source(driver + "://" + (host == null ? "" : host) + "/" + name);
                for (String key : List.of("export", "image", "path", "url", "target", "filename")) {
                    if (node.value(key).isPresent()) {
                        b.at(Setting.SOURCE, node.located(key));
                        break;
                    }
                }
            }
        }
    }

    private static Optional<String> firstPresent(Node node, String... keys) {
        for (String k : keys) {
            Optional<String> v = node.value(k);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** A removable-media device with no drive: an empty CD-ROM or floppy; only {@code write-cache} can be set. */
    private Disk emptyDrive(Options device) {
        String driver = device.value("driver").orElse("");
        Disk.Builder b = Disk.builder(dialect, device.span());
        b.cache(applyWriteCache(b, CacheMode.DEFAULT, device));
        return b
                .device(driver.equals("floppy") ? DiskDevice.FLOPPY : DiskDevice.CDROM)
                .bus(busOf(driver, null))
                .target(device.value("id").orElse(driver))
                .at(Setting.TARGET, device.located("id"))
                .build();
    }

    private Disk vhostUser(Options device) {
        return Disk.builder(dialect, device.span())
                .sourceKind(SourceKind.VHOSTUSER)
                .source(device.value("chardev").orElse(null))
                .bus("virtio")
                .target(device.value("id").orElse(device.value("chardev").orElse("")))
                .at(Setting.TARGET, device.located("id"))
                .build();
    }
}
