package dev.virtlint.rules;

import dev.virtlint.model.Resources;
import dev.virtlint.parse.Yaml.YNode;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dom4j.Document;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jaxen.JaxenException;
import org.jaxen.SimpleNamespaceContext;
import org.jaxen.XPath;

/**
 * Reads a rule file into a {@link DeclarativeRule}: checks its keys, their values, the message
 * templates' placeholders and the fix's attribute names, and for a user's file compiles and tries
 * its XPaths; each mistake is a {@link YamlException} at the line and column of the node that is
 * wrong. Built-in rule files live in {@code rules/ID.rule.yaml}; users add theirs with
 * {@code custom-rules:} in the configuration.
 *
 * <pre>
 * id: detect-zeroes-unmap-without-discard
 * severity: warning
 * category: speed
 * summary: ...
 * disks: writable                      # or all (the default)
 * select: driver/@detect_zeroes[. = 'unmap'][not(../@discard = 'unmap')]
 * message: "{disk} sets {setting} without discard='unmap'"
 * fix:
 *   element: ..                        # from the selected node (default: it, or the element
 *                                      # of the selected attribute)
 *   set: {discard: unmap}
 *   remove: [name]
 *   safety: unsafe                     # optional: only fix --unsafe-fixes applies it (default:
 *                                      # safe)
 * qemu:                                # optional: for disks read from QEMU strings, where QEMU
 *   severity: error                    # itself may act otherwise than libvirt
 *   message: "..."
 * namespaces: {x: "http://..."}        # optional: more prefixes for the XPaths
 * </pre>
 */
public final class RuleReader {

    private static final Set<String> KEYS = Set.of("id", "severity", "category", "summary", "disks",
            "select", "message", "fix", "namespaces", "qemu");
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private RuleReader() {
    }

    /** A user's rule file; {@code label} is how errors name it. */
    public static DeclarativeRule load(Path path, String label) throws IOException, YamlException {
        return from(Yaml.read(path, label), label, true);
    }

    /**
     * Reads a rule; with {@code validate} its XPaths are compiled and run once on a small domain
     * now, so that a syntax error, an unknown function or prefix is reported at its line in the
     * file.
     */
    static DeclarativeRule from(YNode root, String label, boolean validate) throws YamlException {
        RuleDefinition d = definition(root, label);
        if (!validate) {
            return new DeclarativeRule(d, null, null);
        }
        SimpleNamespaceContext namespaces = RuleXPath.namespaces(d.prefixes());
        String id = d.meta().id();
        XPath select = xpath(root.require("select"), id, namespaces);
        XPath fixElement = d.fix() == null || d.fix().element() == null ? null
                : xpath(root.require("fix").require("element"), id, namespaces);
        return new DeclarativeRule(d, select, fixElement);
    }

    /** What the file says, every key checked but the XPaths, which are kept as text. */
    static RuleDefinition definition(YNode root, String label) throws YamlException {
        Map<String, YNode> m = root.map(KEYS);
        YNode idNode = root.require("id");
        String id = idNode.string();
        if (!ID.matcher(id).matches()) {
            throw idNode.error("rule id '" + id
                    + "' must be kebab-case: lower-case letters, digits and dashes");
        }
        Severity severity = severity(root.require("severity"), id);
        String category = m.containsKey("category") ? m.get("category").string() : "custom";
        String summary = root.require("summary").string().strip();
        if (summary.isEmpty() || summary.endsWith(".")) {
            throw root.require("summary").error("rule " + id
                    + ": the summary is one line without a trailing period");
        }
        boolean writableOnly = false;
        if (m.containsKey("disks")) {
            String disks = m.get("disks").string();
            if (!disks.equals("writable") && !disks.equals("all")) {
                throw m.get("disks").error("rule " + id + ": disks must be writable or all, found '"
                        + disks + "'");
            }
            writableOnly = disks.equals("writable");
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        if (m.containsKey("namespaces")) {
            for (Map.Entry<String, YNode> e : m.get("namespaces").map().entrySet()) {
                prefixes.put(e.getKey(), e.getValue().string());
            }
        }
        YNode selectNode = root.require("select");
        String message = message(root.require("message"), id);
        RuleDefinition.Said qemu = new RuleDefinition.Said(severity, message);
        if (m.containsKey("qemu")) {
            qemu = qemu(m.get("qemu"), id, qemu);
        }
        Map<String, String> set = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        boolean[] unsafe = new boolean[1];
        YNode element = m.containsKey("fix") ? fix(m.get("fix"), id, set, remove, unsafe) : null;
        // The XPaths' text is taken last (the select's first), as it always was: of two mistakes
        // in a file, the same one is reported.
        String select = selectNode.string();
        RuleDefinition.Fix fix = !m.containsKey("fix") ? null : new RuleDefinition.Fix(
                element == null ? null : element.string(), Collections.unmodifiableMap(set),
                List.copyOf(remove), unsafe[0]);
        RuleMeta meta = new RuleMeta(id, summary, severity, category);
        return new RuleDefinition(meta, label, writableOnly, select, prefixes, message, qemu, fix);
    }

    private static Severity severity(YNode node, String id) throws YamlException {
        String text = node.string();
        return Severity.byId(text).orElseThrow(() -> node.error(
                "rule " + id + ": severity must be error, warning or info, found '" + text + "'"));
    }

    /** The {@code qemu:} block: what it gives replaces the rule's own severity or message. */
    private static RuleDefinition.Said qemu(YNode node, String id, RuleDefinition.Said own)
            throws YamlException {
        Map<String, YNode> q = node.map(Set.of("severity", "message"));
        Severity severity = q.containsKey("severity") ? severity(q.get("severity"), id)
                : own.severity();
        String message = q.containsKey("message") ? message(q.get("message"), id) : own.message();
        return new RuleDefinition.Said(severity, message);
    }

    /** A message template, its placeholders checked. */
    private static String message(YNode messageNode, String id) throws YamlException {
        String message = messageNode.string().strip();
        String unknown = DeclarativeRule.unknownPlaceholder(message);
        if (unknown != null) {
            throw messageNode.error("rule " + id + ": unknown placeholder {" + unknown
                    + "}; use {disk}, {target}, {source}, {domain}, {value}, {setting} or"
                    + " {@attribute}");
        }
        return message;
    }

    /**
     * The {@code fix:} block: its attribute edits go into {@code set} and {@code remove}, and
     * {@code unsafe[0]} says whether it is marked {@code safety: unsafe}; the {@code element:}
     * node is returned (null when not given) for the caller to read last.
     */
    private static YNode fix(YNode fix, String id, Map<String, String> set, List<String> remove,
                             boolean[] unsafe) throws YamlException {
        Map<String, YNode> f = fix.map(Set.of("element", "set", "remove", "safety"));
        if (f.containsKey("safety")) {
            String safety = f.get("safety").string();
            if (!safety.equals("safe") && !safety.equals("unsafe")) {
                throw f.get("safety").error("rule " + id
                        + ": safety must be safe or unsafe, found '"
                        + safety + "'");
            }
            unsafe[0] = safety.equals("unsafe");
        }
        if (f.containsKey("set")) {
            for (Map.Entry<String, YNode> e : f.get("set").map().entrySet()) {
                checkAttributeName(f.get("set").keyNode(e.getKey()), e.getKey(), id);
                set.put(e.getKey(), e.getValue().string());
            }
        }
        if (f.containsKey("remove")) {
            for (YNode n : f.get("remove").list()) {
                checkAttributeName(n, n.string(), id);
                remove.add(n.string());
            }
        }
        if (set.isEmpty() && remove.isEmpty()) {
            throw fix.error("rule " + id + ": a fix needs set: or remove:");
        }
        return f.get("element");
    }

    private static void checkAttributeName(YNode where, String name, String id)
            throws YamlException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw where.error("rule " + id + ": '" + name + "' is not an attribute name");
        }
    }

    /**
     * Compiles an XPath and runs it once on a small domain, so that unknown functions and prefixes
     * show now, at the XPath's position in the file.
     */
    private static XPath xpath(YNode node, String id, SimpleNamespaceContext namespaces)
            throws YamlException {
        String expr = node.string();
        try {
            XPath xp = RuleXPath.compile(expr, namespaces);
            XPathBudget.run(() -> xp.evaluate(probe()));
            return xp;
        } catch (JaxenException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw node.error("rule " + id + ": invalid XPath '" + expr + "': " + why);
        }
    }

    private static Element probe() {
        Document doc = DocumentHelper.createDocument();
        Element disk = doc.addElement("domain").addElement("devices").addElement("disk")
                .addAttribute("type", "file").addAttribute("device", "disk");
        disk.addElement("driver").addAttribute("name", "qemu").addAttribute("cache", "none");
        disk.addElement("source").addAttribute("file", "/probe.img");
        disk.addElement("target").addAttribute("dev", "vda");
        return disk;
    }
}
