package dev.virtlint.rewrite;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
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
import java.util.Set;

/**
 * Turns the fixable findings of one file into text edits, one consistent change per disk: the
 * advisor's recommendation (the same for every finding on the disk) and the attribute edits of
 * declarative rules, merged; two fixes that disagree about one attribute leave the disk alone.
 */
public final class Fixer {

    private Fixer() {
    }

    /** Plans the safe fixes only: {@link #plan(ParsedFile, List, boolean)} without unsafe ones. */
    public static FixPlan plan(ParsedFile file, List<Finding> findings) {
        return plan(file, findings, false);
    }

    /**
     * Plans the fix of every finding of {@code file} that has one, grouped by the disk it is on
     * (the finding's own disk, not a disk of that name: two disks may share a name, and an edit
     * can change one). Unsafe fixes ({@link Finding#unsafeFix()}) are planned only with
     * {@code unsafeFixes}; otherwise their disks are listed in {@link FixPlan#unsafe()}.
     */
    public static FixPlan plan(ParsedFile file, List<Finding> findings, boolean unsafeFixes) {
        return plan(file, findings, unsafeFixes, Map.of());
    }

    /**
     * {@link #plan(ParsedFile, List, boolean)} leaving the disks of {@code leave} alone, each
     * refused with its reason.
     */
    static FixPlan plan(ParsedFile file, List<Finding> findings, boolean unsafeFixes,
                        Map<Disk, String> leave) {
        String text = file.source().text();
        List<Disk> ordered = DiskPositions.byStart(file.disks());
        Map<Disk, Integer> place = new IdentityHashMap<>();
        for (Disk d : ordered) {
            place.put(d, place.size());
        }
        Map<Disk, List<Finding>> byDisk = new LinkedHashMap<>();
        List<FixPlan.Refusal> refused = new ArrayList<>();
        List<FixPlan.Unsafe> unsafe = new ArrayList<>();
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
            if (!unsafeFixes) {
                FixPlan.Unsafe left = takeUnsafe(target, e.getValue());
                if (left != null) {
                    unsafe.add(left);
                }
                if (e.getValue().isEmpty()) {
                    continue;
                }
            }
            if (leave.containsKey(disk)) {
                refused.add(new FixPlan.Refusal(target, where, leave.get(disk)));
                continue;
            }
            Editor editor = Editor.of(disk.dialect());
            String cannot = editor.refusal(disk);
            if (cannot != null) {
                refused.add(new FixPlan.Refusal(target, where, cannot));
                continue;
            }
            TextEdits mine = new TextEdits();
            try {
                editor.apply(file, disk, changes(disk, editor, e.getValue()), mine);
                mine.check(text.length());
            } catch (Editor.Refused | IllegalArgumentException ex) {
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
            Set<String> assumed = new LinkedHashSet<>();
            Double slow = null;
            for (Finding f : e.getValue()) {
                rules.add(f.rule());
                what.add(f.fix());
                assumed.addAll(f.fixAssumptions());
                slow = slow != null ? slow : f.slowWriteRatio();
            }
            fixed.add(new FixPlan.DiskFix(disk, place.get(disk), rules, String.join(", ", what),
                    mine.sorted(), List.copyOf(assumed), slow));
        }
        return new FixPlan(all.edits().apply(text), all.edits().sorted(), fixed, refused, unsafe);
    }

    /**
     * Takes out of {@code findings} (one disk's) those whose fix is unsafe, and says what they
     * would change and what they rest on; null when there are none.
     */
    private static FixPlan.Unsafe takeUnsafe(String target, List<Finding> findings) {
        Set<String> what = new LinkedHashSet<>();
        Set<String> assumed = new LinkedHashSet<>();
        Span where = null;
        for (java.util.Iterator<Finding> i = findings.iterator(); i.hasNext(); ) {
            Finding f = i.next();
            if (f.unsafeFix()) {
                where = where == null ? f.span() : where;
                what.add(f.fix());
                assumed.addAll(f.fixAssumptions());
                i.remove();
            }
        }
        return where == null ? null : new FixPlan.Unsafe(target, where, String.join(", ", what),
                List.copyOf(assumed));
    }

    /** Whether a finding brings a fix: its own edits, or the advisor's recommendation. */
    static boolean contributes(Finding f) {
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
