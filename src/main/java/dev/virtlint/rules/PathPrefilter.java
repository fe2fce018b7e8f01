package dev.virtlint.rules;

import java.util.ArrayList;
import java.util.List;
import org.dom4j.Attribute;
import org.dom4j.Element;

/**
 * A cheap first look for a declarative rule's {@code select:} when it is a plain relative path such
 * as {@code driver/@detect_zeroes[. = 'unmap']}: child steps by name, an optional attribute step
 * last, each with any predicates. Predicates only remove nodes, so when the disk has no node on the
 * path without them the XPath selects nothing, and the rule need not run it: most disks never
 * start the XPath engine. Any other expression (unions, functions, other axes, prefixes, wildcards)
 * has no prefilter and always runs.
 */
final class PathPrefilter {

    private final List<String> elements;
    private final String attribute;

    private PathPrefilter(List<String> elements, String attribute) {
        this.elements = elements;
        this.attribute = attribute;
    }

    /** The prefilter of {@code expr}, or null when it is not a plain relative path. */
    static PathPrefilter of(String expr) {
        List<String> steps = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder step = new StringBuilder();
        for (int i = 0; i < expr.length(); i++) {
            char ch = expr.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (depth > 0) {
                switch (ch) {
                    case '\'', '"' -> quote = ch;
                    case '[' -> depth++;
                    case ']' -> depth--;
                    default -> { }
                }
            } else if (ch == '[') {
                depth++;
            } else if (ch == '/') {
                steps.add(step.toString());
                step.setLength(0);
            } else if (step.length() > 0 && expr.charAt(i - 1) == ']') {
                return null; // something after a predicate: not a step boundary
            } else {
                step.append(ch);
            }
        }
        if (quote != 0 || depth != 0) {
            return null;
        }
        steps.add(step.toString());
        List<String> elements = new ArrayList<>();
        String attribute = null;
        for (int i = 0; i < steps.size(); i++) {
            String s = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (last && s.startsWith("@") && isName(s.substring(1))) {
                attribute = s.substring(1);
            } else if (isName(s)) {
                elements.add(s);
            } else {
                return null;
            }
        }
        return new PathPrefilter(List.copyOf(elements), attribute);
    }

    /** False only when no node lies on the path from {@code context}, ignoring predicates. */
    boolean mayMatch(Element context) {
        return walk(context, 0);
    }

    private boolean walk(Element at, int step) {
        if (step == elements.size()) {
            if (attribute == null) {
                return true;
            }
            for (Attribute a : at.attributes()) {
                if (a.getName().equals(attribute)) {
                    return true;
                }
            }
            return false;
        }
        for (Element child : at.elements()) {
            if (child.getName().equals(elements.get(step)) && walk(child, step + 1)) {
                return true;
            }
        }
        return false;
    }

    /** An unprefixed XML name as XPath writes a name test; '*', '.', '..', 'axis::' and 'p:n' are not. */
    private static boolean isName(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) || ch == '_' || ch == '-' || ch == '.')) {
                return false;
            }
        }
        return true;
    }
}
