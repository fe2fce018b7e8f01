package dev.virtlint.rules;

import dev.virtlint.parse.DomainParser;
import java.util.Map;
import org.jaxen.BaseXPath;
import org.jaxen.JaxenException;
import org.jaxen.SimpleNamespaceContext;
import org.jaxen.XPath;

/**
 * The XPath a rule file may write: XPath 1.0 and its core functions only, evaluated on dom4j
 * through {@link XPathBudget}, with the prefixes {@code qemu}, {@code virtlint} and
 * {@code libosinfo} bound to the namespaces of the domain XML. {@link RuleReader} compiles with it
 * to check a file, {@link DeclarativeRule} to run one.
 */
final class RuleXPath {

    /**
     * The functions of XPath 1.0 (W3C XPath 1.0, section 4, "Core Function Library"). Jaxen's
     * default XPathFunctionContext also registers extensions, among them document(), which reads a
     * file or fetches a URL (org.jaxen.function.xslt.DocumentFunction); a rule sees only these.
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

    private RuleXPath() {
    }

    private static org.jaxen.SimpleFunctionContext pureFunctions() {
        org.jaxen.SimpleFunctionContext c = new org.jaxen.SimpleFunctionContext();
        FUNCTIONS.forEach((name, f) -> c.registerFunction(null, name, f));
        return c;
    }

    /** The built-in prefixes, then those a rule file declares (which may rebind them). */
    static SimpleNamespaceContext namespaces(Map<String, String> declared) {
        SimpleNamespaceContext ns = new SimpleNamespaceContext();
        ns.addNamespace("qemu", DomainParser.QEMU_NS);
        ns.addNamespace("virtlint", DomainParser.VIRTLINT_NS);
        ns.addNamespace("libosinfo", DomainParser.LIBOSINFO_NS);
        for (Map.Entry<String, String> e : declared.entrySet()) {
            ns.addNamespace(e.getKey(), e.getValue());
        }
        return ns;
    }

    /** An XPath of a rule; refused when it calls a function outside {@link #FUNCTIONS}. */
    static XPath compile(String expr, SimpleNamespaceContext namespaces) throws JaxenException {
        BaseXPath xp = new BaseXPath(expr, XPathBudget.NAVIGATOR);
        xp.setNamespaceContext(namespaces);
        xp.setFunctionContext(PURE);
        checkFunctions(xp.getRootExpr());
        return xp;
    }

    /**
     * Refuses, before anything runs, a call to a function outside {@link #FUNCTIONS}, even on a
     * branch not taken.
     */
    private static void checkFunctions(Object e) throws JaxenException {
        if (e instanceof org.jaxen.expr.FunctionCallExpr f) {
            String name = f.getFunctionName();
            if (f.getPrefix() != null && !f.getPrefix().isEmpty() || !FUNCTIONS.containsKey(name)) {
                String full = f.getPrefix() == null || f.getPrefix().isEmpty() ? name
                        : f.getPrefix() + ":" + name;
                throw new JaxenException("function " + full + "() is not allowed; rules may call"
                        + " only the XPath 1.0 functions ("
                        + String.join(", ", new java.util.TreeSet<>(FUNCTIONS.keySet())) + ")");
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
}
