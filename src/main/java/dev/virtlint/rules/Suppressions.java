package dev.virtlint.rules;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Annotations;
import dev.virtlint.model.Span;
import dev.virtlint.parse.XmlTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Element;

/**
 * The suppressions a domain carries, in both forms of design.md: a comment before the element it
 * covers ({@code <!-- virtlint: ignore=rule-a,rule-b reason="why" -->}; before {@code <domain>} it
 * covers the file), and {@code <virtlint:ignore rule= disk= reason=/>} in the metadata, which
 * survives {@code virsh define} (libvirt drops comments).
 */
final class Suppressions {

    private static final Pattern COMMENT =
            Pattern.compile("^\\s*virtlint:\\s*ignore=([a-z0-9,-]+)(?:\\s+reason=\"([^\"]*)\")?\\s*$");

    /**
     * One suppression.
     *
     * @param rules    the rule ids it names
     * @param disk     the disk target it is limited to, or null
     * @param coverage the text it covers, or null for the whole file
     * @param at       where it is written (for the report of an unused one)
     */
    record Suppression(Set<String> rules, String disk, Span coverage, Span at, String reason) {

        boolean covers(Finding f) {
            return rules.contains(f.rule()) && (disk == null || disk.equals(f.target()))
                    && (coverage == null || (coverage.start() <= f.span().start() && f.span().start() < coverage.end()));
        }
    }

    private Suppressions() {
    }

    /**
     * The suppressions of a file arranged for matching findings without trying each one per finding
     * (a comment before every disk made that quadratic, issue 15). Comment suppressions cover the
     * extent of an element; extents of elements are nested or apart, never partly overlapping, so
     * each one's nearest enclosing extent is its parent, and the ones around an offset are the
     * latest one starting at or before it, or its first parent around it, and that one's parents.
     * The others (the whole file, a disk named in the metadata) are kept by disk target.
     */
    static final class Index {

        private final List<Suppression> all;
        /** Ranged suppressions by coverage start (longer first on a tie), and each one's parent. */
        private final int[] ranged;
        private final int[] parent;
        /** Whether the coverages nest as element extents do; if not, every one is tried. */
        private boolean nested = true;
        private final Map<String, List<Integer>> byDisk = new HashMap<>();
        private final List<Integer> everywhere = new ArrayList<>();
        /** Suppressions compared with findings, for a test that it stays near one per finding. */
        private long compared;

        Index(List<Suppression> all) {
            this.all = all;
            List<Integer> withCoverage = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                Suppression s = all.get(i);
                if (s.coverage() != null) {
                    withCoverage.add(i);
                } else if (s.disk() != null) {
                    byDisk.computeIfAbsent(s.disk(), k -> new ArrayList<>()).add(i);
                } else {
                    everywhere.add(i);
                }
            }
            withCoverage.sort((a, b) -> {
                Span x = all.get(a).coverage();
                Span y = all.get(b).coverage();
                return x.start() != y.start() ? Integer.compare(x.start(), y.start())
                        : x.end() != y.end() ? Integer.compare(y.end(), x.end())
                        : Integer.compare(a, b);
            });
            ranged = withCoverage.stream().mapToInt(Integer::intValue).toArray();
            parent = new int[ranged.length];
            int[] stack = new int[ranged.length];
            int depth = 0;
            for (int k = 0; k < ranged.length; k++) {
                Span c = all.get(ranged[k]).coverage();
                while (depth > 0 && coverage(stack[depth - 1]).end() <= c.start()) {
                    depth--;
                }
                if (depth > 0 && coverage(stack[depth - 1]).end() < c.end()) {
                    nested = false;
                }
                parent[k] = depth > 0 ? stack[depth - 1] : -1;
                stack[depth++] = k;
            }
        }

        /** The indexes (into the list given) of the suppressions that cover a finding, in order. */
        List<Integer> covering(Finding f) {
            List<Integer> out = new ArrayList<>();
            consider(everywhere, f, out);
            if (f.target() != null) {
                consider(byDisk.getOrDefault(f.target(), List.of()), f, out);
            }
            if (!nested) {
                for (int k = 0; k < ranged.length; k++) {
                    compared++;
                    if (all.get(ranged[k]).covers(f)) {
                        out.add(ranged[k]);
                    }
                }
                out.sort(null);
                return out;
            }
            int at = f.span().start();
            int lo = 0;
            int hi = ranged.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (all.get(ranged[mid]).coverage().start() <= at) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int k = lo - 1;
            while (k >= 0 && all.get(ranged[k]).coverage().end() <= at) {
                k = parent[k];
            }
            for (; k >= 0; k = parent[k]) {
                compared++;
                if (all.get(ranged[k]).covers(f)) {
                    out.add(ranged[k]);
                }
            }
            out.sort(null);
            return out;
        }

        private void consider(List<Integer> candidates, Finding f, List<Integer> out) {
            for (int i : candidates) {
                compared++;
                if (all.get(i).covers(f)) {
                    out.add(i);
                }
            }
        }

        private Span coverage(int k) {
            return all.get(ranged[k]).coverage();
        }

        long compared() {
            return compared;
        }
    }

    static List<Suppression> of(ParsedFile file, Annotations notes) {
        List<Suppression> out = new ArrayList<>();
        XmlTree tree = file.tree();
        if (tree != null) {
            Element root = tree.document().getRootElement();
            for (XmlTree.Comment comment : tree.comments()) {
                Matcher m = COMMENT.matcher(comment.body());
                if (!m.matches()) {
                    continue;
                }
                Set<String> rules = new LinkedHashSet<>(Arrays.asList(m.group(1).split(",")));
                rules.remove("");
                Element target = tree.nextTagAfter(comment.span().end()).flatMap(tree::elementAt).orElse(root);
                Span coverage = target == root ? null : tree.extentOf(target);
                out.add(new Suppression(rules, null, coverage, comment.span(), m.group(2)));
            }
        }
        for (Annotations.Ignore ignore : notes.ignores()) {
            if (ignore.rule() != null) {
                out.add(new Suppression(Set.of(ignore.rule()), ignore.disk(), null, ignore.span(), ignore.reason()));
            }
        }
        return out;
    }
}
