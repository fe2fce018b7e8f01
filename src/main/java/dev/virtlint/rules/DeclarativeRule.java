package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.dom4j.Node;
import org.jaxen.JaxenException;
import org.jaxen.XPath;

/**
 * A rule written as data, run: an XPath selects, for each disk, the nodes that are wrong; a
 * template makes the message; an optional attribute edit is the fix. Findings point at the
 * selected node. {@link RuleReader} reads the rule file (its format is shown there) into the
 * {@link RuleDefinition} this runs; each XPath evaluation is bounded by {@link XPathBudget}.
 */
public final class DeclarativeRule implements DiskRule {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> NAMES = Set.of("disk", "target", "source", "domain", "value",
            "setting");
    private static final String ATTRIBUTE_NAME = "@[A-Za-z_][A-Za-z0-9_.:-]*";

    private final RuleDefinition rule;
    /**
     * The compiled XPaths: at load for a user's rule (to report mistakes), on first use for a
     * built-in one.
     */
    private volatile Compiled compiled;

    private record Compiled(XPath select, XPath fixElement) {
    }

    /**
     * A rule from its definition; {@code select} and {@code fixElement} are its XPaths compiled, or
     * both null to compile them when a disk first needs them.
     */
    DeclarativeRule(RuleDefinition rule, XPath select, XPath fixElement) {
        this.rule = rule;
        this.compiled = select == null ? null : new Compiled(select, fixElement);
    }

    @Override
    public String id() {
        return rule.meta().id();
    }

    @Override
    public RuleMeta info() {
        return rule.meta();
    }

    /** The rule file it was read from, as errors name it. */
    public String file() {
        return rule.file();
    }

    /** The first placeholder of a message template that no finding can fill, or null. */
    static String unknownPlaceholder(String template) {
        Matcher p = PLACEHOLDER.matcher(template);
        while (p.find()) {
            String name = p.group(1);
            if (!NAMES.contains(name) && !name.matches(ATTRIBUTE_NAME)) {
                return name;
            }
        }
        return null;
    }

    private Compiled compiled() {
        Compiled c = compiled;
        if (c == null) {
            synchronized (this) {
                c = compiled;
                if (c == null) {
                    org.jaxen.SimpleNamespaceContext ns = RuleXPath.namespaces(rule.prefixes());
                    String fixElement = rule.fix() == null ? null : rule.fix().element();
                    c = new Compiled(compile(rule.select(), ns),
                            fixElement == null ? null : compile(fixElement, ns));
                    compiled = c;
                }
            }
        }
        return c;
    }

    private XPath compile(String expr, org.jaxen.SimpleNamespaceContext ns) {
        try {
            return RuleXPath.compile(expr, ns);
        } catch (JaxenException e) {
            throw new IllegalStateException(rule.file() + ": rule " + id() + ": invalid XPath '"
                    + expr + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (rule.writableOnly() && !c.writable()) {
            return;
        }
        DiskView view = c.view().get();
        List<?> selected;
        try {
            selected = XPathBudget.run(() -> compiled().select().selectNodes(view.element()));
        } catch (JaxenException e) {
            throw new IllegalStateException(rule.file() + ": rule " + id() + ": " + e.getMessage(),
                    e);
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

    /**
     * The rule stopped on this disk: an error naming the rule and its file; other rules and files
     * go on.
     */
    private Finding overBudget(DiskCheck c, DiskView view, XPathBudget.Exceeded e) {
        return new Finding(id(), Severity.ERROR, "rule " + id() + " (" + rule.file()
                + ") stopped on " + c.name() + ": " + e.getMessage()
                + " (the limit of one evaluation)",
                view.spanOf(view.element()), c.disk(), null, null, List.of());
    }

    private Finding finding(DiskCheck c, DiskView view, Node node) {
        Element owner = node instanceof Attribute a ? a.getParent()
                : node instanceof Element e ? e : node.getParent();
        boolean qemu = !c.disk().dialect().libvirt();
        String text = expand(c, view, node, owner, qemu ? rule.qemu().message() : rule.message());
        List<Edit> edits = new ArrayList<>();
        String fixText = rule.fix() == null ? null : fix(rule.fix(), view, node, owner, edits);
        Finding f = new Finding(id(), qemu ? rule.qemu().severity() : rule.meta().severity(),
                text, view.spanOf(node), c.disk(), c.advice().orElse(null), fixText, edits);
        if (fixText == null) {
            return f;
        }
        // A rule file's fix rests on what the select matched in the file, and on what the mode
        // it sets needs of the guest and the host, like the advisor's own fix; the rule file may
        // mark it unsafe whatever it sets.
        List<String> assumed = new ArrayList<>(modeAssumptions(c, view, edits));
        if (rule.fix().unsafe()) {
            assumed.add("assumes the fix of rule " + id() + " suits this disk: its rule file says"
                    + " safety: unsafe");
        }
        return assumed.isEmpty() ? f : f.withFixAssumptions(assumed);
    }

    /**
     * What the cache and io modes a fix's edits of {@code <driver>} leave on the disk rest on:
     * the advisor's clauses for the resulting cache switches ({@link Advisor#assumptionsOf}: the
     * guest's flushing where a write cache is newly shown, O_DIRECT where it is turned on), a
     * cache mode no preset names, and an io mode other than threads, which works on every file
     * and device: native only with O_DIRECT (libvirt refuses it otherwise, "io='native' needs
     * either no disk cache or directsync cache mode"), io_uring only where the host's kernel and
     * QEMU build have it (block/file-posix.c raw_open_common, CONFIG_LINUX_IO_URING).
     */
    private static List<String> modeAssumptions(DiskCheck c, DiskView view, List<Edit> edits) {
        Element driver = view.element().element("driver");
        Span at = driver == null ? null : view.spanOf(driver);
        String cacheName = driver == null ? null : view.sourceName(driver, "cache").orElse(null);
        String ioName = driver == null ? null : view.sourceName(driver, "io").orElse(null);
        CacheMode mode = c.disk().cache();
        String io = null;
        boolean touched = false;
        List<String> out = new ArrayList<>();
        for (Edit e : edits) {
            if (at == null || !e.owner().equals(at)) {
                continue;
            }
            if (e.name().equals(cacheName)) {
                touched = true;
                if (e.value() == null) {
                    mode = CacheMode.DEFAULT;
                } else {
                    Optional<CacheMode.Preset> p = CacheMode.Preset.byName(e.value());
                    if (p.isEmpty()) {
                        out.add("assumes cache='" + e.value() + "' is a mode QEMU takes: no"
                                + " preset has that name");
                        continue;
                    }
                    mode = p.get().explicitMode();
                }
            } else if (e.name().equals(ioName)) {
                io = e.value() == null ? "threads" : e.value();
            }
        }
        if (touched) {
            out.addAll(0, Advisor.assumptionsOf(c.disk(), c.guest(), c.host(), mode));
        }
        String ioNow = io != null ? io : c.disk().io().orElse("threads");
        if ((io != null || touched) && ioNow.equals("native") && !mode.direct()) {
            out.add("assumes io='native' starts with cache='" + mode.modeName() + "': libvirt"
                    + " and QEMU take it only with O_DIRECT (cache none or directsync)");
        } else if (io != null && !io.equals("threads") && !io.equals("native")) {
            out.add("assumes the host takes io='" + io + "': no host profile says whether its"
                    + " kernel and QEMU have it");
        }
        return out;
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

    /** The fix's edits and its one-line description, or null when it cannot apply here. */
    private String fix(RuleDefinition.Fix fix, DiskView view, Node node, Element owner,
                       List<Edit> edits) {
        Element target = owner;
        if (fix.element() != null) {
            try {
                Object o = XPathBudget.run(() -> compiled().fixElement().selectSingleNode(node));
                target = o instanceof Element e ? e : null;
            } catch (JaxenException e) {
                throw new IllegalStateException(rule.file() + ": rule " + id() + ": "
                        + e.getMessage(), e);
            }
        }
        if (target == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : fix.set().entrySet()) {
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
            edits.add(new Edit(view.spanOf(target), view.sourceName(target, name).get(),
                    e.getValue()));
        }
        for (String name : fix.remove()) {
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
