package dev.virtlint.rules;

import dev.virtlint.model.Origin;
import dev.virtlint.parse.DomainParser;
import dev.virtlint.parse.Yaml.YNode;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Attribute;
import org.dom4j.Document;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Node;
import org.jaxen.BaseXPath;
import org.jaxen.JaxenException;
import org.jaxen.SimpleNamespaceContext;
import org.jaxen.XPath;

/**
 * A rule written as data: an XPath selects, for each disk, the nodes that are wrong; a template
 * makes the message; an optional attribute edit is the fix. Users add theirs with
 * {@code custom-rules:} in the configuration. Findings point at the selected node.
 *
 * <pre>
 * id: detect-zeroes-unmap-without-discard       # an example; the built-in rule of that id is Java
 * severity: warning
 * category: speed
 * summary: ...
 * disks: writable                      # or all (the default)
 * select: driver/@detect_zeroes[. = 'unmap'][not(../@discard = 'unmap')]
 * message: "{disk} sets {setting} without discard='unmap'"
 * fix:
 *   element: ..                        # from the selected node; default: it, or the attribute's element
 *   set: {discard: unmap}
 *   remove: [name]
 * qemu:                                # optional: for disks read from QEMU strings, where QEMU
 *   severity: error                    # itself may act otherwise than libvirt
 *   message: "..."
 * </pre>
 */
public final class DeclarativeRule implements Rule {

    private static final Set<String> KEYS = Set.of("id", "severity", "category", "summary", "disks", "select",
            "message", "fix", "namespaces", "qemu");
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> NAMES = Set.of("disk", "target", "source", "domain", "value", "setting");
    private static final String ATTRIBUTE_NAME = "@[A-Za-z_][A-Za-z0-9_.:-]*";

    private final RuleMeta meta;
    private final String file;
    private final boolean writableOnly;
    private final String selectText;
    private final String fixElementText;
    private final SimpleNamespaceContext namespaces;
    private final String message;
    /** The severity and message for disks from QEMU strings; the rule's own when not given. */
    private final Severity qemuSeverity;
    private final String qemuMessage;
    private final Map<String, String> set;
    private final List<String> remove;
    /** The compiled XPaths: at load for a rule file (to report mistakes), else on first use. */
    private volatile Compiled compiled;

    private record Compiled(XPath select, XPath fixElement) {
    }

    private DeclarativeRule(RuleMeta meta, String file, boolean writableOnly, String select, String message,
                            Severity qemuSeverity, String qemuMessage,
                            String fixElement, SimpleNamespaceContext namespaces, Map<String, String> set,
                            List<String> remove) {
        this.meta = meta;
        this.file = file;
        this.writableOnly = writableOnly;
        this.selectText = select;
        this.fixElementText = fixElement;
        this.namespaces = namespaces;
        this.message = message;
        this.qemuSeverity = qemuSeverity;
        this.qemuMessage = qemuMessage;
        this.set = set;
        this.remove = remove;
    }

    @Override
    public String id() {
        return meta.id();
    }

    @Override
    public RuleMeta info() {
        return meta;
    }

    /** The rule file it was read from, as errors name it. */
    public String file() {
        return file;
    }

    /** A user's rule file; {@code label} is how errors name it. */
    public static DeclarativeRule load(Path path, String label) throws IOException, YamlException {
        return from(Yaml.read(path, label), label, true);
    }

    /**
     * Reads a rule; with {@code validate} its XPaths are compiled and run once on a small domain now,
     * so that a syntax error, an unknown function or prefix is reported at its line in the file.
     */
    static DeclarativeRule from(YNode root, String label, boolean validate) throws YamlException {
        Map<String, YNode> m = root.map(KEYS);
        YNode idNode = root.require("id");
        String id = idNode.string();
        if (!ID.matcher(id).matches()) {
            throw idNode.error("rule id '" + id + "' must be kebab-case: lower-case letters, digits and dashes");
        }
        YNode severityNode = root.require("severity");
        String severityText = severityNode.string();
        Severity severity = Severity.byId(severityText).orElseThrow(() -> severityNode.error(
                "rule " + id + ": severity must be error, warning or info, found '" + severityText + "'"));
        String category = m.containsKey("category") ? m.get("category").string() : "custom";
        String summary = root.require("summary").string().strip();
        if (summary.isEmpty() || summary.endsWith(".")) {
            throw root.require("summary").error("rule " + id + ": the summary is one line without a trailing period");
        }
        boolean writableOnly = false;
        if (m.containsKey("disks")) {
            String disks = m.get("disks").string();
            if (!disks.equals("writable") && !disks.equals("all")) {
                throw m.get("disks").error("rule " + id + ": disks must be writable or all, found '" + disks + "'");
            }
            writableOnly = disks.equals("writable");
        }
        SimpleNamespaceContext namespaces = namespaces(m.get("namespaces"), id);
        YNode selectNode = root.require("select");
        YNode messageNode = root.require("message");
        String message = message(messageNode, id);
        Severity qemuSeverity = severity;
        String qemuMessage = message;
        if (m.containsKey("qemu")) {
            Map<String, YNode> q = m.get("qemu").map(Set.of("severity", "message"));
            if (q.containsKey("severity")) {
                String text = q.get("severity").string();
                qemuSeverity = Severity.byId(text).orElseThrow(() -> q.get("severity").error(
                        "rule " + id + ": severity must be error, warning or info, found '" + text + "'"));
            }
            if (q.containsKey("message")) {
                qemuMessage = message(q.get("message"), id);
            }
        }
        YNode fixElementNode = null;
        Map<String, String> set = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        if (m.containsKey("fix")) {
            YNode fix = m.get("fix");
            Map<String, YNode> f = fix.map(Set.of("element", "set", "remove"));
            if (f.containsKey("element")) {
                fixElementNode = f.get("element");
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
        }
        DeclarativeRule rule = new DeclarativeRule(new RuleMeta(id, summary, severity, category), label, writableOnly,
                selectNode.string(), message, qemuSeverity, qemuMessage,
                fixElementNode == null ? null : fixElementNode.string(), namespaces,
                Map.copyOf(set), List.copyOf(remove));
        if (validate) {
            rule.compiled = new Compiled(xpath(selectNode, id, namespaces),
                    fixElementNode == null ? null : xpath(fixElementNode, id, namespaces));
        }
        return rule;
    }

    /** A message template, its placeholders checked. */
    private static String message(YNode messageNode, String id) throws YamlException {
        String message = messageNode.string().strip();
        Matcher p = PLACEHOLDER.matcher(message);
        while (p.find()) {
            String name = p.group(1);
            if (!NAMES.contains(name) && !name.matches(ATTRIBUTE_NAME)) {
                throw messageNode.error("rule " + id + ": unknown placeholder {" + name + "}; use {disk}, {target},"
                        + " {source}, {domain}, {value}, {setting} or {@attribute}");
            }
        }
        return message;
    }

    private Compiled compiled() {
        Compiled c = compiled;
        if (c == null) {
            synchronized (this) {
                c = compiled;
                if (c == null) {
                    c = new Compiled(compile(selectText), fixElementText == null ? null : compile(fixElementText));
                    compiled = c;
                }
            }
        }
        return c;
    }

    private XPath compile(String expr) {
        try {
            return newXPath(expr, namespaces);
        } catch (JaxenException e) {
            throw new IllegalStateException(file + ": rule " + meta.id() + ": invalid XPath '" + expr + "': "
                    + e.getMessage(), e);
        }
    }

    private static void checkAttributeName(YNode where, String name, String id) throws YamlException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw where.error("rule " + id + ": '" + name + "' is not an attribute name");
        }
    }

    private static SimpleNamespaceContext namespaces(YNode node, String id) throws YamlException {
        SimpleNamespaceContext ns = new SimpleNamespaceContext();
        ns.addNamespace("qemu", DomainParser.QEMU_NS);
        ns.addNamespace("virtlint", DomainParser.VIRTLINT_NS);
        ns.addNamespace("libosinfo", DomainParser.LIBOSINFO_NS);
        if (node != null) {
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                ns.addNamespace(e.getKey(), e.getValue().string());
            }
        }
        return ns;
    }

    /** Compiles an XPath and runs it once on a small domain, so that unknown functions and prefixes show now. */
    private static XPath xpath(YNode node, String id, SimpleNamespaceContext namespaces) throws YamlException {
        String expr = node.string();
        try {
            XPath xp = newXPath(expr, namespaces);
            XPathBudget.run(() -> xp.evaluate(probe()));
            return xp;
        } catch (JaxenException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw node.error("rule " + id + ": invalid XPath '" + expr + "': " + why);
        }
    }

    /**
     * The functions of XPath 1.0 (W3C XPath 1.0, section 4, "Core Function Library"). Jaxen's default
     * XPathFunctionContext also registers extensions, among them document(), which reads a file or
     * fetches a URL (org.jaxen.function.xslt.DocumentFunction); a rule sees only these.
     */
    private static final Map<String, org.jaxen.Function> FUNCTIONS = Map.ofEntries(
            Map.entry("last", new org.jaxen.function.LastFunction()),
            Map.entry("position", new org.jaxen.function.PositionFunction()),
            Map.entry("count", new org.jaxen.function.CountFunction()),
            Map.entry("id", new org.jaxen.function.IdFunction()),
            Map.entry("local-name", new org.jaxen.function.LocalNameFunction()),
            Map.entry("namespace-uri", new org.jaxen.function.NamespaceUriFunction()),
            Map.entry("name", new org.jaxen.function.NameFunction()),
            Map.entry("string", new org.jaxen.function.StringFunction()),
            Map.entry("concat", new org.jaxen.function.ConcatFunction()),
            Map.entry("starts-with", new org.jaxen.function.StartsWithFunction()),
            Map.entry("contains", new org.jaxen.function.ContainsFunction()),
            Map.entry("substring-before", new org.jaxen.function.SubstringBeforeFunction()),
            Map.entry("substring-after", new org.jaxen.function.SubstringAfterFunction()),
            Map.entry("substring", new org.jaxen.function.SubstringFunction()),
            Map.entry("string-length", new org.jaxen.function.StringLengthFunction()),
            Map.entry("normalize-space", new org.jaxen.function.NormalizeSpaceFunction()),
            Map.entry("translate", new org.jaxen.function.TranslateFunction()),
            Map.entry("boolean", new org.jaxen.function.BooleanFunction()),
            Map.entry("not", new org.jaxen.function.NotFunction()),
            Map.entry("true", new org.jaxen.function.TrueFunction()),
            Map.entry("false", new org.jaxen.function.FalseFunction()),
            Map.entry("lang", new org.jaxen.function.LangFunction()),
            Map.entry("number", new org.jaxen.function.NumberFunction()),
            Map.entry("sum", new org.jaxen.function.SumFunction()),
            Map.entry("floor", new org.jaxen.function.FloorFunction()),
            Map.entry("ceiling", new org.jaxen.function.CeilingFunction()),
            Map.entry("round", new org.jaxen.function.RoundFunction()));

    private static final org.jaxen.SimpleFunctionContext PURE = pureFunctions();

    private static org.jaxen.SimpleFunctionContext pureFunctions() {
        org.jaxen.SimpleFunctionContext c = new org.jaxen.SimpleFunctionContext();
        FUNCTIONS.forEach((name, f) -> c.registerFunction(null, name, f));
        return c;
    }

    private static XPath newXPath(String expr, SimpleNamespaceContext namespaces) throws JaxenException {
        BaseXPath xp = new BaseXPath(expr, XPathBudget.NAVIGATOR);
        xp.setNamespaceContext(namespaces);
        xp.setFunctionContext(PURE);
        checkFunctions(xp.getRootExpr());
        return xp;
    }

    /** Refuses, before anything runs, a call to a function outside {@link #FUNCTIONS}, even on a branch not taken. */
    private static void checkFunctions(Object e) throws JaxenException {
        if (e instanceof org.jaxen.expr.FunctionCallExpr f) {
            String name = f.getFunctionName();
            if (f.getPrefix() != null && !f.getPrefix().isEmpty() || !FUNCTIONS.containsKey(name)) {
                String full = f.getPrefix() == null || f.getPrefix().isEmpty() ? name : f.getPrefix() + ":" + name;
                throw new JaxenException("function " + full + "() is not allowed; rules may call only the"
                        + " XPath 1.0 functions (" + String.join(", ", new java.util.TreeSet<>(FUNCTIONS.keySet()))
                        + ")");
            }
            for (Object p : f.getParameters()) {
                checkFunctions(p);
            }
        } else if (e instanceof org.jaxen.expr.BinaryExpr b) {
            checkFunctions(b.getLHS());
            checkFunctions(b.getRHS());
        } else if (e instanceof org.jaxen.expr.UnaryExpr u) {
            checkFunctions(u.getExpr());
        } else if (e instanceof org.jaxen.expr.PathExpr p) {
            checkFunctions(p.getFilterExpr());
            checkFunctions(p.getLocationPath());
        } else if (e instanceof org.jaxen.expr.FilterExpr f) {
            checkFunctions(f.getExpr());
            for (Object p : f.getPredicates()) {
                checkFunctions(((org.jaxen.expr.Predicate) p).getExpr());
            }
        } else if (e instanceof org.jaxen.expr.LocationPath l) {
            for (Object step : l.getSteps()) {
                for (Object p : ((org.jaxen.expr.Step) step).getPredicates()) {
                    checkFunctions(((org.jaxen.expr.Predicate) p).getExpr());
                }
            }
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

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (writableOnly && !c.writable()) {
            return;
        }
        DiskView view = c.view().get();
        List<?> selected;
        try {
            selected = XPathBudget.run(() -> compiled().select().selectNodes(view.element()));
        } catch (JaxenException e) {
            throw new IllegalStateException(file + ": rule " + meta.id() + ": " + e.getMessage(), e);
        } catch (XPathBudget.Exceeded e) {
            out.add(overBudget(c, view, e));
            return;
        }
        for (Object o : selected) {
            Node node;
            if (o instanceof Node n) {
                node = n;
            } else if (Boolean.TRUE.equals(o)) {
                node = view.element();
            } else {
                continue;
            }
            try {
                out.add(finding(c, view, node));
            } catch (XPathBudget.Exceeded e) {
                out.add(overBudget(c, view, e));
                return;
            }
        }
    }

    /** The rule stopped on this disk: an error naming the rule and its file; other rules and files go on. */
    private Finding overBudget(DiskCheck c, DiskView view, XPathBudget.Exceeded e) {
        return new Finding(meta.id(), Severity.ERROR, "rule " + meta.id() + " (" + file + ") stopped on "
                + c.name() + ": " + e.getMessage() + " (the limit of one evaluation)", view.spanOf(view.element()),
                c.disk().target(), null, null, List.of());
    }

    private Finding finding(DiskCheck c, DiskView view, Node node) {
        Element owner = node instanceof Attribute a ? a.getParent() : node instanceof Element e ? e : node.getParent();
        boolean qemu = c.disk().origin() != Origin.XML;
        String text = expand(c, view, node, owner, qemu ? qemuMessage : message);
        List<Edit> edits = new ArrayList<>();
        String fixText = fix(view, node, owner, edits);
        return new Finding(meta.id(), qemu ? qemuSeverity : meta.severity(), text, view.spanOf(node), c.disk().target(),
                c.advice().orElse(null), fixText, edits);
    }

    private String expand(DiskCheck c, DiskView view, Node node, Element owner, String template) {
        Matcher p = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (p.find()) {
            String name = p.group(1);
            String value = switch (name) {
                case "disk" -> c.name();
                case "target" -> c.disk().target();
                case "source" -> c.disk().source().orElse("(no source)");
                case "domain" -> c.domain() == null ? "(unnamed)" : c.domain();
                case "value" -> node.getStringValue();
                case "setting" -> node instanceof Attribute a
                        ? view.render(a.getParent(), a.getName(), a.getValue())
                        : "<" + node.getName() + ">";
                default -> owner == null || owner.attributeValue(name.substring(1)) == null ? ""
                        : owner.attributeValue(name.substring(1));
            };
            p.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        p.appendTail(out);
        return out.toString();
    }

    /** The fix's edits and its one-line description, or null when the rule has none or it cannot apply here. */
    private String fix(DiskView view, Node node, Element owner, List<Edit> edits) {
        if (set.isEmpty() && remove.isEmpty()) {
            return null;
        }
        Element target = owner;
        if (fixElementText != null) {
            try {
                Object o = XPathBudget.run(() -> compiled().fixElement().selectSingleNode(node));
                target = o instanceof Element e ? e : null;
            } catch (JaxenException e) {
                throw new IllegalStateException(file + ": rule " + meta.id() + ": " + e.getMessage(), e);
            }
        }
        if (target == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : set.entrySet()) {
            String name = e.getKey();
            if (view.sourceName(target, name).isEmpty()) {
                edits.clear();
                return null;
            }
            String old = target.attributeValue(name);
            if (e.getValue().equals(old)) {
                continue;
            }
            String now = view.render(target, name, e.getValue());
            parts.add(old == null ? "add " + now : view.render(target, name, old) + " -> " + now);
            edits.add(new Edit(view.spanOf(target), view.sourceName(target, name).get(), e.getValue()));
        }
        for (String name : remove) {
            String old = target.attributeValue(name);
            if (old == null) {
                continue;
            }
            if (view.sourceName(target, name).isEmpty()) {
                edits.clear();
                return null;
            }
            parts.add("remove " + view.render(target, name, old));
            edits.add(new Edit(view.spanOf(target), view.sourceName(target, name).get(), null));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
