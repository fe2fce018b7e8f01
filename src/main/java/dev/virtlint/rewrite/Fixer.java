package dev.virtlint.rewrite;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Located;
import dev.virtlint.model.Origin;
import dev.virtlint.model.Setting;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Edit;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.FixPlan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;

/**
 * Turns the fixable findings of one file into text edits, one consistent change per disk: the
 * advisor's recommendation (the same for every finding on the disk) and the attribute edits of
 * declarative rules, merged; two fixes that disagree about one attribute leave the disk alone.
 */
public final class Fixer {

    private Fixer() {
    }

    /** One attribute (XML) or option (QEMU) to set, or to remove when {@code value} is null. */
    private record Change(Span owner, String name, String value) {
    }

    /**
     * Plans the fix of every finding of {@code file} that has one, grouped by the disk it is on
     * (the finding's own disk, not a disk of that name: two disks may share a name, and an edit
     * can change one).
     */
    public static FixPlan plan(ParsedFile file, List<Finding> findings) {
        String text = file.source().text();
        List<Disk> ordered = DiskPositions.byStart(file.disks());
        Map<Disk, Integer> place = new IdentityHashMap<>();
        for (Disk d : ordered) {
            place.put(d, place.size());
        }
        Map<Disk, List<Finding>> byDisk = new LinkedHashMap<>();
        List<FixPlan.Refusal> refused = new ArrayList<>();
        for (Finding f : findings) {
            if (f.disk() == null || !contributes(f)) {
                continue;
            }
            if (!place.containsKey(f.disk())) {
                throw new IllegalArgumentException("a finding of " + f.rule() + " is on disk " + f.target()
                        + " of another file than " + file.name());
            }
            byDisk.computeIfAbsent(f.disk(), k -> new ArrayList<>()).add(f);
        }
        TextEdits.Disjoint all = new TextEdits.Disjoint();
        List<FixPlan.DiskFix> fixed = new ArrayList<>();
        for (Map.Entry<Disk, List<Finding>> e : byDisk.entrySet()) {
            Disk disk = e.getKey();
            String target = disk.target();
            Span where = e.getValue().get(0).span();
            String assumed = assumedOnly(e.getValue());
            if (assumed != null) {
                // A host profile settles an assumed mount; nothing virtlint reads settles a volume's pool.
                String settle = assumed.startsWith("assumed ") ? "a host profile that states the mount (--host,"
                        + " or hosts: in .virtlint.yaml) lets fix apply it" : "set the mode by hand once checked";
                refused.add(new FixPlan.Refusal(target, where, "its advice rests on an assumption (" + assumed + "); "
                        + settle));
                if (e.getValue().isEmpty()) {
                    continue;
                }
            }
            if (disk.origin() != Origin.XML && !disk.driveString() && !disk.blockdev()) {
                refused.add(new FixPlan.Refusal(target, where, "a -hda disk takes no options; write it as a -drive"
                        + " to set its cache mode"));
                continue;
            }
            TextEdits mine = new TextEdits();
            try {
                List<Change> changes = changes(disk, e.getValue());
                if (disk.origin() == Origin.XML) {
                    xml(file, disk, changes, mine);
                } else {
                    qemu(text, disk, changes, mine);
                }
                mine.check(text.length());
            } catch (QemuOptionEdits.Refused | IllegalArgumentException ex) {
                refused.add(new FixPlan.Refusal(target, where, ex.getMessage()));
                continue;
            }
            if (mine.isEmpty()) {
                continue;
            }
            try {
                all.add(mine);
            } catch (IllegalArgumentException ex) {
                refused.add(new FixPlan.Refusal(target, where, "its fix overlaps another disk's: " + ex.getMessage()));
                continue;
            }
            Set<String> rules = new LinkedHashSet<>();
            Set<String> what = new LinkedHashSet<>();
            for (Finding f : e.getValue()) {
                rules.add(f.rule());
                what.add(f.fix());
            }
            fixed.add(new FixPlan.DiskFix(disk, place.get(disk), rules, String.join(", ", what), mine.sorted()));
        }
        return new FixPlan(all.edits().apply(text), all.edits().sorted(), fixed, refused);
    }

    /**
     * Takes out of {@code findings} those whose fix is an advice that rests on an assumed filesystem
     * (not {@link Recommendation#automatic()}), and says what was assumed; null when there are none.
     */
    private static String assumedOnly(List<Finding> findings) {
        String assumed = null;
        for (java.util.Iterator<Finding> i = findings.iterator(); i.hasNext(); ) {
            Finding f = i.next();
            if (f.edits().isEmpty() && f.recommended() != null && !f.recommended().automatic()) {
                assumed = f.recommended().assumption();
                i.remove();
            }
        }
        return assumed;
    }

    /** Whether a finding brings a fix: its own edits, or the advisor's recommendation. */
    public static boolean contributes(Finding f) {
        return !f.edits().isEmpty() || (f.fix() != null && f.recommended() != null);
    }

    /** Every change the disk's findings ask for, merged; a disagreement is refused. */
    private static List<Change> changes(Disk disk, List<Finding> findings) {
        Map<String, Change> merged = new LinkedHashMap<>();
        for (Finding f : findings) {
            List<Change> wanted = new ArrayList<>();
            if (!f.edits().isEmpty()) {
                for (Edit edit : f.edits()) {
                    wanted.add(new Change(disk.origin() == Origin.XML ? edit.owner() : null, edit.name(), edit.value()));
                }
            } else {
                wanted.addAll(advised(disk, f.recommended()));
            }
            for (Change c : wanted) {
                String key = (c.owner() == null ? "" : c.owner().start() + ":") + c.name();
                Change before = merged.putIfAbsent(key, c);
                if (before != null && !Objects.equals(before.value(), c.value())) {
                    throw new IllegalArgumentException("two fixes disagree about " + c.name() + " ('" + before.value()
                            + "' and '" + c.value() + "'); fix it by hand");
                }
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** The changes that give a disk the recommended setting, in its source's own terms. */
    private static List<Change> advised(Disk disk, Recommendation r) {
        List<Change> out = new ArrayList<>();
        CacheMode now = disk.cache();
        CacheMode want = r.cache().explicitMode();
        boolean cacheRight = now.explicit() && now.sameSwitches(want);
        if (disk.origin() == Origin.XML) {
            Span driver = disk.setting(Setting.DRIVER).map(Located::span).orElse(null);
            if (!cacheRight) {
                out.add(new Change(driver, "cache", r.cache().id()));
            }
            if (r.io() != null) {
                out.add(new Change(driver, "io", r.io()));
            }
            return out;
        }
        if (!cacheRight && disk.blockdev()) {
            // Each switch is set on the node where QEMU acts on it, which is where the parser
            // recorded it (DriveParser.fromBlockdev): cache.direct and cache.no-flush on the node
            // that opens the image, write-cache on the device. A switch not written there cannot be
            // added to a JSON object here; QemuOptionEdits refuses it.
            changeTo(disk, "cache.direct", now.direct(), want.direct(), out);
            changeTo(disk, "cache.no-flush", now.noFlush(), want.noFlush(), out);
            changeTo(disk, "write-cache", now.writeback(), want.writeback(), out);
        } else if (!cacheRight) {
            boolean allSwitches = QemuOptionEdits.has(disk, "cache.writeback") && QemuOptionEdits.has(disk, "cache.direct")
                    && QemuOptionEdits.has(disk, "cache.no-flush");
            if (!allSwitches) {
                out.add(new Change(null, "cache", r.cache().id()));
            }
            // Explicit switches win over cache=, so each one present is set to the mode's value.
            switchTo(disk, "cache.writeback", want.writeback(), out);
            switchTo(disk, "cache.direct", want.direct(), out);
            switchTo(disk, "cache.no-flush", want.noFlush(), out);
            switchTo(disk, "write-cache", want.writeback(), out);
        }
        if (r.io() != null) {
            out.add(new Change(null, "aio", r.io()));
        }
        return out;
    }

    /** A change of one switch that differs from what is wanted, whether or not it is written. */
    private static void changeTo(Disk disk, String option, boolean now, boolean on, List<Change> out) {
        if (now != on) {
            out.add(new Change(null, option, on ? "on" : "off"));
        }
    }

    private static void switchTo(Disk disk, String option, boolean on, List<Change> out) {
        if (QemuOptionEdits.has(disk, option)) {
            out.add(new Change(null, option, on ? "on" : "off"));
        }
    }

    private static void qemu(String text, Disk disk, List<Change> changes, TextEdits out) throws QemuOptionEdits.Refused {
        Map<String, String> options = new LinkedHashMap<>();
        changes.forEach(c -> options.put(c.name(), c.value()));
        QemuOptionEdits.apply(text, disk, options, out);
    }

    private static void xml(ParsedFile file, Disk disk, List<Change> changes, TextEdits out) {
        String text = file.source().text();
        Map<Span, List<Change>> byOwner = new LinkedHashMap<>();
        List<Change> newDriver = new ArrayList<>();
        for (Change c : changes) {
            if (c.owner() == null) {
                newDriver.add(c);
            } else {
                byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<Span, List<Change>> e : byOwner.entrySet()) {
            XmlAttributes tag = XmlAttributes.of(text, e.getKey());
            for (Change c : e.getValue()) {
                if (c.value() == null) {
                    tag.remove(c.name(), out);
                } else if (!tag.value(c.name()).filter(c.value()::equals).isPresent()) {
                    tag.set(c.name(), c.value(), out);
                }
            }
        }
        List<Change> added = newDriver.stream().filter(c -> c.value() != null).toList();
        if (!added.isEmpty()) {
            addDriver(file, disk, added, out);
        }
    }

    /**
     * Adds a {@code <driver>} element with the given attributes as the disk's first child, indented
     * as that child is, quoted as the disk's own attributes are (libvirt's schema lets a disk's
     * children come in any order).
     */
    private static void addDriver(ParsedFile file, Disk disk, List<Change> attributes, TextEdits out) {
        String text = file.source().text();
        Optional<Element> element = file.tree().elementAt(disk.span());
        List<Element> children = element.map(Element::elements).orElse(List.of());
        if (children.isEmpty()) {
            throw new IllegalArgumentException("the disk has no child elements to place a <driver> beside;"
                    + " add one by hand");
        }
        int at = file.tree().tagSpan(children.get(0)).start();
        int indentStart = at;
        while (indentStart > disk.span().end() && Character.isWhitespace(text.charAt(indentStart - 1))) {
            indentStart--;
        }
        String indent = text.substring(indentStart, at);
        char quote = XmlAttributes.of(text, disk.span()).quote();
        StringBuilder driver = new StringBuilder("<driver");
        for (Change c : attributes) {
            driver.append(' ').append(c.name()).append('=').append(quote)
                    .append(XmlAttributes.escape(c.value(), quote)).append(quote);
        }
        driver.append("/>").append(indent);
        out.add(Span.at(at), driver.toString());
    }
}
