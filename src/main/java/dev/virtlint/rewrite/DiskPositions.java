package dev.virtlint.rewrite;

import dev.virtlint.rules.FixPlan;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Position;
import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The safety net after an edit: the disks of the fixed text must be the disks of the original,
 * each where the edits moved it and still the same disk. Disks are matched by where they start in
 * the source, not by name, since an edit can change the name: {@code if=virtio,} with
 * {@code ,cache=none} appended gives {@code if=virtio,,cache=none}, a drive on the interface
 * {@code virtio,cache=none} whose default name is no longer {@code virtio0}.
 */
final class DiskPositions {

    /** What must not change about a disk: its name, what kind of device it is, what it reads. */
    private record Identity(String target, DiskDevice device, String source) {

        static Identity of(Disk d) {
            return new Identity(d.target(), d.device(), d.source().orElse(null));
        }

        @Override
        public String toString() {
            return (target.isEmpty() ? "(no target)" : target) + " (" + device.name().toLowerCase()
                    + (source == null ? "" : ", " + source) + ")";
        }
    }

    private DiskPositions() {
    }

    /**
     * Null when {@code after} has the same disks as {@code before} at the places {@code edits} (in
     * text order) moved them to; else {@code file:line:col: not fixed: ...} for the first
     * difference.
     */
    static String changed(ParsedFile before, List<FixPlan.Replace> edits, ParsedFile after) {
        List<Disk> old = byStart(before.disks());
        int[] expected = new int[old.size()];
        int e = 0;
        int shift = 0;
        for (int i = 0; i < old.size(); i++) {
            int o = old.get(i).span().start();
            // Edits that end at or before the disk's start move it, an insertion right there too;
            // one that replaces text from there on leaves the start where the edit starts.
            while (e < edits.size() && edits.get(e).span().end() <= o) {
                FixPlan.Replace r = edits.get(e);
                shift += r.text().length() - (r.span().end() - r.span().start());
                e++;
            }
            Span next = e < edits.size() ? edits.get(e).span() : null;
            if (next != null && next.start() < o && o < next.end()) {
                return at(before, o) + ": not fixed: the edit rewrites where disk "
                        + Identity.of(old.get(i)) + " starts";
            }
            expected[i] = o + shift;
        }
        List<Disk> now = byStart(after.disks());
        for (int i = 0; i < Math.max(old.size(), now.size()); i++) {
            boolean oldLeft = i < old.size();
            boolean nowLeft = i < now.size();
            if (nowLeft && (!oldLeft || now.get(i).span().start() < expected[i])) {
                return at(after, now.get(i).span().start()) + ": not fixed: the edit would make a"
                        + " disk " + Identity.of(now.get(i)) + " appear here";
            }
            if (!nowLeft || now.get(i).span().start() > expected[i]) {
                return at(before, old.get(i).span().start()) + ": not fixed: the edit would make"
                        + " disk " + Identity.of(old.get(i)) + " disappear";
            }
            if (!Identity.of(old.get(i)).equals(Identity.of(now.get(i)))) {
                return at(before, old.get(i).span().start()) + ": not fixed: the edit would turn"
                        + " disk " + Identity.of(old.get(i)) + " into " + Identity.of(now.get(i));
            }
        }
        return null;
    }

    static List<Disk> byStart(List<Disk> disks) {
        List<Disk> sorted = new ArrayList<>(disks);
        // Our own lambda, not Comparator's combinators (see TextEdits.sorted); the sort is stable.
        sorted.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
        return sorted;
    }

    private static String at(ParsedFile file, int offset) {
        Position p = file.source().positionOf(offset);
        return file.name() + ":" + p.line() + ":" + p.column();
    }
}
