package dev.virtlint.model;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The syntax a disk is written in, and so where it was defined: how a setting is named
 * ({@code io} in libvirt's XML, {@code aio} in QEMU's options) and how it reads in a message
 * ({@code cache='none'}, {@code cache=none}). Every question "is this disk XML or a QEMU string?"
 * is a question to the disk's dialect; a new input syntax is a new dialect (see ARCHITECTURE.md).
 * The ids are the {@code origin} of a disk in the JSON report.
 */
public enum Dialect {
    /** A {@code <disk>} element of a domain XML. */
    XML("xml", true),
    /** A {@code -drive} or {@code -blockdev} inside a domain's {@code <qemu:commandline>}. */
    QEMU_COMMANDLINE("qemu-commandline", false),
    /** A libvirt {@code .args} file or a shell script that starts QEMU. */
    ARGS("args", false),
    /** A drive string given on virtlint's own command line. */
    DRIVE("drive", false);

    private final String id;
    private final boolean libvirt;

    Dialect(String id, boolean libvirt) {
        this.id = id;
        this.libvirt = libvirt;
    }

    /** The dialect's name in output: the {@code origin} of a disk in the JSON report. */
    public String id() {
        return id;
    }

    /**
     * Whether libvirt reads the disk: its defaults and checks apply (a shareable disk without a
     * mode gets cache='none', a vhost-vdpa disk must be direct), and a setting it refuses leaves
     * the domain undefined. QEMU options, even inside {@code <qemu:commandline>}, go to QEMU as
     * they are.
     */
    public boolean libvirt() {
        return libvirt;
    }

    /**
     * Whether a cache mode is written only as one of the preset names ({@code cache='none'}),
     * never as the switches QEMU also takes ({@code cache.direct=on}), so that a change of mode
     * reads as a change of that one name.
     */
    public boolean presetsOnly() {
        return libvirt;
    }

    /** The setting's name in this syntax ({@code io}, {@code aio}), or null when it has none. */
    public String name(Setting setting) {
        if (!libvirt) {
            return Names.QEMU.get(setting);
        }
        String qualified = Names.LIBVIRT.get(setting);
        return qualified == null ? null : qualified.substring(qualified.indexOf('@') + 1);
    }

    /** The setting a name of this syntax stands for, or null when it is none of the table's. */
    public Setting setting(String name) {
        return libvirt ? null : Names.BY_QEMU.get(name);
    }

    /**
     * The name in this syntax of what libvirt writes as the {@code attribute} of {@code element}
     * ({@code driver}, {@code detect_zeroes} -> {@code detect-zeroes} for QEMU); null when this
     * syntax has no name for it.
     */
    public String nameOfLibvirt(String element, String attribute) {
        if (libvirt) {
            return attribute;
        }
        Setting s = Names.BY_LIBVIRT.get(element + "@" + attribute);
        return s == null ? null : name(s);
    }

    /** How a setting reads in a message: {@code name='value'} in XML, {@code name=value} else. */
    public String render(String name, String value) {
        return libvirt ? name + "='" + value + "'" : name + "=" + value;
    }

    /** The one table of setting names; a holder, so that the enum's constants can use it. */
    private static final class Names {
        private static final Map<Setting, String> LIBVIRT = new EnumMap<>(Setting.class);
        private static final Map<Setting, String> QEMU = new EnumMap<>(Setting.class);
        private static final Map<String, Setting> BY_LIBVIRT = new HashMap<>();
        private static final Map<String, Setting> BY_QEMU = new HashMap<>();

        static {
            // setting                  libvirt element@attribute   QEMU option (-drive, -device)
            row(Setting.CACHE,           "driver@cache",             "cache");
            row(Setting.CACHE_DIRECT,    null,                       "cache.direct");
            row(Setting.CACHE_NO_FLUSH,  null,                       "cache.no-flush");
            row(Setting.CACHE_WRITEBACK, null,                       "cache.writeback");
            row(Setting.WRITE_CACHE,     null,                       "write-cache");
            row(Setting.IO,              "driver@io",                "aio");
            row(Setting.DISCARD,         "driver@discard",           "discard");
            row(Setting.DETECT_ZEROES,   "driver@detect_zeroes",     "detect-zeroes");
            row(Setting.FORMAT,          "driver@type",              "format");
            row(Setting.SOURCE,          "source@file",              "file");
            row(Setting.TARGET,          "target@dev",               "id");
            row(Setting.BUS,             "target@bus",               "if");
            row(Setting.READONLY,        null,                       "readonly");
            row(Setting.TRANSIENT,       null,                       "snapshot");
            // A block device's path is <source dev=>, which QEMU names file= as well.
            BY_LIBVIRT.put("source@dev", Setting.SOURCE);
        }

        private static void row(Setting setting, String libvirt, String qemu) {
            if (libvirt != null) {
                LIBVIRT.put(setting, libvirt);
                BY_LIBVIRT.put(libvirt, setting);
            }
            QEMU.put(setting, qemu);
            BY_QEMU.put(qemu, setting);
        }
    }
}
