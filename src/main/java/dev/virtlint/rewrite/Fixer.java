package dev.virtlint.rewrite;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Edit;
import dev.virtlint.rules.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the fixable findings of one file into text edits, one consistent change per disk: the
 * advisor's recommendation (the same for every finding on the disk) and the attribute edits of
 * declarative rules, merged; two fixes that disagree about one attribute leave the disk alone.
 */
public final class Fixer {

    /**
     * What fixing one disk changes, which findings it answers, and the edits that make it;
     * {@code index} is the disk's place among the file's disks in source order, which the fix
     * keeps (DiskPositions checks it), so that it names the disk where names do not.
     */
    public record DiskFix(String target, int index, Set<String> rules, String description,
                          List<TextEdits.Replace> edits) {
    }

    /** A disk that has fixable findings but could not be fixed, and why. */
    public record Refusal(String target, Span span, String reason) {
    }

    /**
     * The plan for one file.
     *
     * @param text     the fixed text (the original when nothing applies)
     * @param edits    the edits that make it, for a diff
     * @param fixed    the disks changed
     * @param refused  the disks left alone
     */
    public record Plan(String text, List<TextEdits.Replace> edits, List<DiskFix> fixed, List<Refusal> refused) {

        public boolean changed() {
            return !edits.isEmpty();
        }
    }

    private Fixer() {
    }

    /**
     * Plans the fix of every finding that has one. Findings are grouped by the disk they are on:
     * by name, and where several disks of the file have one name (two {@code -device} with the
     * same id, a drive whose id is another's default name) by where the finding points, inside
     * exactly one of them ({@link DiskPositions#owner}); a finding that points into none or
     * several of them leaves its disk alone.
     */
    public static Plan plan(ParsedFile file, List<Finding> findings) {
        String text = file.source().text();
        List<Disk> ordered = DiskPositions.byStart(file.disks());
        // The disks by target, once per file: a search of all disks for each one was quadratic.
        Map<String, List<Disk>> byTarget = new HashMap<>();
        Map<Disk, Integer> place = new java.util.IdentityHashMap<>();
        for (Disk d : ordered) {
            byTarget.computeIfAbsent(d.target(), k -> new ArrayList<>(1)).add(d);
            place.put(d, place.size());
        }
        Map<Disk, List<Finding>> byDisk = new LinkedHashMap<>();
        List<Refusal> refused = new ArrayList<>();
        Set<String> unplaced = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (f.disk() == null || !contributes(f)) {
                continue;
            }
            List<Disk> named = byTarget.getOrDefault(f.disk(), List.of());
            Disk disk = named.size() == 1 ? named.get(0) : DiskPositions.owner(named, f);
            if (disk != null) {
                byDisk.computeIfAbsent(disk, k -> new ArrayList<>()).add(f);
            } else if (unplaced.add(f.disk())) {
                String name = f.disk().isEmpty() ? "(no target)" : f.disk();
                refused.add(new Refusal(name, f.span(), named.isEmpty() ? "no such disk in the file"
                        : named.size() + " disks are called " + name + " and the finding is not inside"
                        + " exactly one of them; fix them by hand"));
            }
        }
        TextEdits.Disjoint all = new TextEdits.Disjoint();
        List<DiskFix> fixed = new ArrayList<>();
        for (Map.Entry<Disk, List<Finding>> e : byDisk.entrySet()) {
            Disk disk = e.getKey();
            String target = disk.target();
            Span where = e.getValue().get(0).span();
            String assumed = assumedOnly(e.getValue());
            if (assumed != null) {
                // A host profile settles an assumed mount; nothing virtlint reads settles a volume's pool.
                String settle = assumed.startsWith("assumed ") ? "a host profile that states the mount (--host,"
                        + " or hosts: in .virtlint.yaml) lets fix apply it" : "set the mode by hand once checked";
                refused.add(new Refusal(target, where, "its advice rests on an assumption (" + assumed + "); "
                        + settle));
                if (e.getValue().isEmpty()) {
                    continue;
                }
            }
            Editor editor = Editor.of(disk.dialect());
            String cannot = editor.refusal(disk);
            if (cannot != null) {
                refused.add(new Refusal(target, where, cannot));
                continue;
            }
            TextEdits mine = new TextEdits();
            try {
                editor.apply(file, disk, changes(disk, editor, e.getValue()), mine);
                mine.check(text.length());
            } catch (Editor.Refused | IllegalArgumentException ex) {
                refused.add(new Refusal(target, where, ex.getMessage()));
                continue;
            }
            if (mine.isEmpty()) {
                continue;
            }
            try {
                all.add(mine);
            } catch (IllegalArgumentException ex) {
                refused.add(new Refusal(target, where, "its fix overlaps another disk's: " + ex.getMessage()));
                continue;
            }
            Set<String> rules = new LinkedHashSet<>();
            Set<String> what = new LinkedHashSet<>();
            for (Finding f : e.getValue()) {
                rules.add(f.rule());
                what.add(f.fix());
            }
            fixed.add(new DiskFix(target, place.get(disk), rules, String.join(", ", what), mine.sorted()));
        }
        return new Plan(all.edits().apply(text), all.edits().sorted(), fixed, refused);
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

    /**
     * Every change the disk's findings ask for, in its editor's terms, merged; a disagreement is
     * refused.
     */
    private static List<Change> changes(Disk disk, Editor editor, List<Finding> findings) {
        Map<String, Change> merged = new LinkedHashMap<>();
        for (Finding f : findings) {
            List<Change> wanted = new ArrayList<>();
            if (!f.edits().isEmpty()) {
                for (Edit edit : f.edits()) {
                    wanted.add(new Change(editor.owner(edit), edit.name(), edit.value()));
                }
            } else {
                wanted.addAll(editor.advised(disk, f.recommended()));
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
}
