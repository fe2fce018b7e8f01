package dev.virtlint.rules;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Annotations;
import dev.virtlint.model.Span;
import dev.virtlint.parse.XmlTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
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
            return rules.contains(f.rule()) && (disk == null || disk.equals(f.disk()))
                    && (coverage == null || (coverage.start() <= f.span().start() && f.span().start() < coverage.end()));
        }
    }

    private Suppressions() {
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
