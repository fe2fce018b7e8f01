package dev.virtlint.rewrite;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import dev.virtlint.rules.FixPlan;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Located;
import dev.virtlint.model.Setting;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Edit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Option edits on a QEMU disk, at the spans the parser recorded, wherever the option string sits: a
 * {@code --drive} argument, a word of an {@code .args} file or shell script (quoted or not), or a
 * {@code <qemu:arg value=...>} attribute. An existing value is replaced in place; a new option is
 * appended to the {@code -drive} string. Only plain values are written ({@code none}, {@code threads},
 * {@code unmap}), which need no escaping in QEMU's syntax, in XML or in the shell, and only plain
 * source text is replaced, so {@code ,,}, entities and quotes elsewhere stay exactly as they were.
 */
final class QemuOptionEdits implements Editor {

    /** Option strings that are plain text, or an XML attribute's value. */
    static final QemuOptionEdits PLAIN = new QemuOptionEdits(false);
    /** Option strings that are words of a shell command line, whose quotes may close them. */
    static final QemuOptionEdits SHELL_WORDS = new QemuOptionEdits(true);

    /** Values that read the same in every layer: QEMU options, XML attributes, shell words. */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9._-]+");

    /** Options that belong to the {@code -device}, not to the {@code -drive}; they cannot be appended. */
    private static final List<String> DEVICE_OPTIONS = List.of("write-cache");

    private final boolean shellWords;

    private QemuOptionEdits(boolean shellWords) {
        this.shellWords = shellWords;
    }

    @Override
    public String refusal(Disk disk) {
        if (!disk.driveString() && !disk.blockdev()) {
            return "a -hda disk takes no options; write it as a -drive to set its cache mode";
        }
        return null;
    }

    @Override
    public Span owner(Edit edit) {
        return null;
    }

    /** The switches of the recommended mode, each where the disk writes them, and {@code aio}. */
    @Override
    public List<Change> advised(Disk disk, Recommendation r) {
        List<Change> out = new ArrayList<>();
        CacheMode now = disk.cache();
        CacheMode want = r.cache().explicitMode();
        boolean cacheRight = now.explicit() && now.sameSwitches(want);
        if (!cacheRight && disk.blockdev()) {
            // Each switch is set on the node where QEMU acts on it, which is where the parser
            // recorded it (DriveParser.fromBlockdev): cache.direct and cache.no-flush on the node
            // that opens the image, write-cache on the device. A switch not written there cannot be
            // added to a JSON object here; apply refuses it.
            changeTo(disk, Setting.CACHE_DIRECT, now.direct(), want.direct(), out);
            changeTo(disk, Setting.CACHE_NO_FLUSH, now.noFlush(), want.noFlush(), out);
            changeTo(disk, Setting.WRITE_CACHE, now.writeback(), want.writeback(), out);
        } else if (!cacheRight) {
            boolean allSwitches = disk.setting(Setting.CACHE_WRITEBACK).isPresent()
                    && disk.setting(Setting.CACHE_DIRECT).isPresent()
                    && disk.setting(Setting.CACHE_NO_FLUSH).isPresent();
            if (!allSwitches) {
                out.add(new Change(null, disk.dialect().name(Setting.CACHE), r.cache().id()));
            }
            // Explicit switches win over cache=, so each one present is set to the mode's value.
            switchTo(disk, Setting.CACHE_WRITEBACK, want.writeback(), out);
            switchTo(disk, Setting.CACHE_DIRECT, want.direct(), out);
            switchTo(disk, Setting.CACHE_NO_FLUSH, want.noFlush(), out);
            switchTo(disk, Setting.WRITE_CACHE, want.writeback(), out);
        }
        if (r.io() != null) {
            out.add(new Change(null, disk.dialect().name(Setting.IO), r.io()));
        }
        return out;
    }

    /** A change of one switch that differs from what is wanted, whether or not it is written. */
    private static void changeTo(Disk disk, Setting option, boolean now, boolean on,
                                 List<Change> out) {
        if (now != on) {
            out.add(new Change(null, disk.dialect().name(option), on ? "on" : "off"));
        }
    }

    private static void switchTo(Disk disk, Setting option, boolean on, List<Change> out) {
        if (disk.setting(option).isPresent()) {
            out.add(new Change(null, disk.dialect().name(option), on ? "on" : "off"));
        }
    }

    @Override
    public void apply(ParsedFile file, Disk disk, List<Change> changes, TextEdits out)
            throws Refused {
        Map<String, String> options = new LinkedHashMap<>();
        changes.forEach(c -> options.put(c.name(), c.value()));
        apply(file.source().text(), disk, options, out);
    }

    /**
     * Adds the edits that set or remove {@code options} (in order; a null value removes) to
     * {@code out}. Either all of them are added or, with {@link Refused}, none.
     */
    void apply(String text, Disk disk, Map<String, String> options, TextEdits out) throws Refused {
        List<FixPlan.Replace> edits = new ArrayList<>();
        StringBuilder appended = new StringBuilder();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (value != null && !PLAIN_VALUE.matcher(value).matches()) {
                throw new Refused("the value '" + value + "' for " + name + " would need escaping");
            }
            Setting setting = disk.dialect().setting(name);
            Optional<Located> at = setting == null ? Optional.empty() : disk.setting(setting);
            if (at.isPresent()) {
                Span span = at.get().span();
                if (span.isEmpty() || !text.substring(span.start(), span.end()).equals(at.get().value())) {
                    throw new Refused(name + " is not written as a plain value here; change it by hand");
                }
                if (value != null) {
                    edits.add(new FixPlan.Replace(span, spelled(value, at.get().value())));
                } else {
                    edits.add(new FixPlan.Replace(removal(text, name, span), ""));
                }
            } else if (value != null) {
                if (disk.blockdev()) {
                    throw new Refused(name + " is not written where QEMU reads it (" + (DEVICE_OPTIONS.contains(name)
                            ? "the -device" : "the -blockdev node that opens the image")
                            + "), and no key is added to a -blockdev or -device; add " + name + "=" + value
                            + (name.startsWith("cache.") && BOOLEANS.indexOf(value) >= 0 && BOOLEANS.indexOf(value) < 2
                            ? " (\"" + name.substring(6) + "\":" + spelled(value, "true") + " under \"cache\" in JSON)"
                            : "") + " there by hand");
                }
                if (!disk.driveString() || DEVICE_OPTIONS.contains(name)) {
                    throw new Refused("cannot add " + name + "=" + value + " to this disk's options"
                            + " (only a -drive option string takes new options); change it by hand");
                }
                appended.append(',').append(name).append('=').append(value);
            }
        }
        if (!appended.isEmpty()) {
            Located drive = disk.setting(Setting.DRIVER).orElseThrow();
            // After a separator already there (or in an empty string) no comma of their own.
            boolean separated = endsWithSeparator(drive.value()) || drive.value().isEmpty();
            String added = separated ? appended.substring(1) : appended.toString();
            edits.add(new FixPlan.Replace(Span.at(appendAt(text, drive.span())), added));
        }
        edits.forEach(r -> out.add(r.span(), r.text()));
    }

    /**
     * Where new options go: right after the drive string's last character, inside its quotes
     * ({@code "file=/a.img,if=virtio,cache=none"}); but in a shell word whose last part alone is
     * quoted ({@code file="$REPO_PATH/a.img"}), after that closing quote, so that the option does
     * not read as part of the file name: the shell joins {@code "$REPO_PATH/a.img",cache=none}
     * into the same word. A quote that closes at the end was opened inside the string when the
     * string holds an odd number of that quote character.
     */
    private int appendAt(String text, Span drive) {
        int end = drive.end();
        if (!shellWords || end >= text.length()) {
            return end;
        }
        char q = text.charAt(end);
        if (q != '"' && q != '\'') {
            return end;
        }
        long opened = text.substring(drive.start(), end).chars().filter(c -> c == q).count();
        return opened % 2 == 1 ? end + 1 : end;
    }

    /**
     * Whether an option string (as QEMU receives it) ends with a comma that separates, not one of
     * a doubled {@code ,,}. QEMU's util/qemu-option.c reads it so: get_opt_name_value takes a name
     * up to the first {@code =} or {@code ,} (strcspn(params, "=,")), get_opt_value a value up to
     * a single comma ({@code ,,} is one literal comma), then one comma is skipped; opts_do_parse
     * loops {@code for (p = params; *p;)}, so a final separator ends the last option and adds
     * none. Thus {@code if=virtio,} means exactly {@code if=virtio}, and appending
     * {@code ,cache=none} would give {@code if=virtio,,cache=none}: the value
     * {@code virtio,cache=none}.
     */
    static boolean endsWithSeparator(String options) {
        int p = 0;
        boolean separated = false;
        while (p < options.length()) {
            int delim = p;
            while (delim < options.length() && "=,".indexOf(options.charAt(delim)) < 0) {
                delim++;
            }
            p = delim;
            if (p < options.length() && options.charAt(p) == '=') {
                p++;
                while (p < options.length()
                        && (options.charAt(p) != ',' || options.startsWith(",,", p))) {
                    p += options.charAt(p) == ',' ? 2 : 1;
                }
            }
            separated = p < options.length();
            p++;
        }
        return separated;
    }

    /** Boolean spellings, in pairs: QEMU takes all of them in option strings, JSON only true and false. */
    private static final List<String> BOOLEANS = List.of("on", "off", "true", "false", "yes", "no", "y", "n");

    /** {@code on}/{@code off} spelled as the value it replaces is ({@code true}/{@code false} in JSON). */
    static String spelled(String value, String old) {
        int v = BOOLEANS.indexOf(value);
        int o = BOOLEANS.indexOf(old);
        if (v < 0 || v > 1 || o < 0) {
            return value;
        }
        return BOOLEANS.get(o - o % 2 + v);
    }

    /** The span of {@code ,name=value} (or {@code name=value,} for the first option). */
    private static Span removal(String text, String name, Span value) throws Refused {
        int keyStart = value.start() - name.length() - 1;
        if (keyStart < 0 || !text.startsWith(name + "=", keyStart)) {
            throw new Refused(name + " is not written as a plain option here; remove it by hand");
        }
        if (keyStart > 0 && text.charAt(keyStart - 1) == ',') {
            return new Span(keyStart - 1, value.end());
        }
        if (value.end() < text.length() && text.charAt(value.end()) == ',') {
            return new Span(keyStart, value.end() + 1);
        }
        throw new Refused(name + " is the drive's only option; remove it by hand");
    }
}
