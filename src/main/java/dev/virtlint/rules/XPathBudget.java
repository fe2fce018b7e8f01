package dev.virtlint.rules;

import java.util.Iterator;
import org.jaxen.JaxenException;
import org.jaxen.UnsupportedAxisException;
import org.jaxen.dom4j.DocumentNavigator;

/**
 * A dom4j navigator that counts the nodes an XPath visits and stops it past a budget: a custom
 * rule's {@code count(//node()[count(//node()) > 0])} is quadratic and nests further, and jaxen has
 * no time limit of its own. Every axis goes through here (jaxen's descendant and following axes are
 * built on the child and sibling axes of the navigator they are given).
 */
final class XPathBudget extends DocumentNavigator {

    private static final long serialVersionUID = 1L;

    /** Node visits per evaluation: 100 times what //node() costs on a large domain (~1,000 nodes). */
    static final long VISITS = 100_000;

    static final XPathBudget NAVIGATOR = new XPathBudget();

    private static final ThreadLocal<long[]> LEFT = ThreadLocal.withInitial(() -> new long[] {VISITS});

    /** An evaluation that went past {@link #VISITS}. */
    static final class Exceeded extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Exceeded() {
            super("the XPath visited more than " + VISITS + " nodes", null, false, false);
        }
    }

    /** Something that evaluates an XPath. */
    interface Evaluation<T> {
        T run() throws JaxenException;
    }

    /** Runs one evaluation with a full budget; {@link Exceeded} when it goes past it. */
    static <T> T run(Evaluation<T> e) throws JaxenException {
        long[] left = LEFT.get();
        left[0] = VISITS;
        return e.run();
    }

    private XPathBudget() {
    }

    private static Iterator<?> counted(Iterator<?> it) {
        long[] left = LEFT.get();
        return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Object next() {
                if (--left[0] < 0) {
                    throw new Exceeded();
                }
                return it.next();
            }
        };
    }

    @Override
    public Iterator getChildAxisIterator(Object node) {
        return counted(super.getChildAxisIterator(node));
    }

    @Override
    public Iterator getChildAxisIterator(Object node, String local, String prefix, String uri) {
        return counted(super.getChildAxisIterator(node, local, prefix, uri));
    }

    @Override
    public Iterator getParentAxisIterator(Object node) {
        return counted(super.getParentAxisIterator(node));
    }

    @Override
    public Iterator getAttributeAxisIterator(Object node) {
        return counted(super.getAttributeAxisIterator(node));
    }

    @Override
    public Iterator getAttributeAxisIterator(Object node, String local, String prefix, String uri) {
        return counted(super.getAttributeAxisIterator(node, local, prefix, uri));
    }

    @Override
    public Iterator getNamespaceAxisIterator(Object node) {
        return counted(super.getNamespaceAxisIterator(node));
    }

    @Override
    public Iterator getFollowingSiblingAxisIterator(Object node) throws UnsupportedAxisException {
        return counted(super.getFollowingSiblingAxisIterator(node));
    }

    @Override
    public Iterator getPrecedingSiblingAxisIterator(Object node) throws UnsupportedAxisException {
        return counted(super.getPrecedingSiblingAxisIterator(node));
    }

    @Override
    public Iterator getAncestorAxisIterator(Object node) throws UnsupportedAxisException {
        return counted(super.getAncestorAxisIterator(node));
    }

    @Override
    public Iterator getPrecedingAxisIterator(Object node) throws UnsupportedAxisException {
        return counted(super.getPrecedingAxisIterator(node));
    }
}
