package dev.virtlint.parse;

import java.io.StringReader;
import org.dom4j.Attribute;
import org.dom4j.Branch;
import org.dom4j.Comment;
import org.dom4j.Document;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.Node;
import org.dom4j.Text;

/**
 * Checks {@link StrictXmlReader} against the JDK's parser on one text: whatever the strict reader
 * accepts, the JDK's parser must accept too and build the same tree. Used by its test (hand-written
 * and damaged documents) and by the corpus sweep (libvirt's test domains).
 */
public final class ReaderAgreement {

    /** What comparing gave; {@code problem} says what differed, for {@link Verdict#DISAGREE}. */
    public record Result(Verdict verdict, String problem) {
    }

    public enum Verdict {
        /** The strict reader read it, and the JDK's parser built the same tree. */
        READ_ALIKE,
        /** The strict reader declined; the JDK's parser decides alone, as it does in a lint. */
        DECLINED,
        /** The strict reader reported an error, accepted what the JDK refuses, or built another tree. */
        DISAGREE
    }

    private ReaderAgreement() {
    }

    public static Result compare(String text) {
        Document strict;
        try {
            strict = HardenedXml.readStrictly(text);
        } catch (DocumentException e) {
            return new Result(Verdict.DISAGREE, "the strict reader reported an error instead of declining: "
                    + e.getMessage());
        }
        if (strict == null) {
            return new Result(Verdict.DECLINED, "");
        }
        Document jdk;
        try {
            jdk = HardenedXml.reader().read(new StringReader(text));
        } catch (DocumentException e) {
            return new Result(Verdict.DISAGREE, "the strict reader accepted what the JDK's parser refuses: "
                    + e.getMessage());
        }
        String a = dump(strict);
        String b = dump(jdk);
        return a.equals(b) ? new Result(Verdict.READ_ALIKE, "")
                : new Result(Verdict.DISAGREE, "different trees:\nstrict:\n" + a + "JDK:\n" + b);
    }

    /** Everything about a tree that rules, XPath or positions could see, one node a line. */
    static String dump(Document d) {
        StringBuilder b = new StringBuilder();
        b.append("document encoding=").append(d.getXMLEncoding()).append(" name=").append(d.getName()).append('\n');
        content(d, b, 0);
        return b.toString();
    }

    private static void content(Branch branch, StringBuilder b, int depth) {
        for (int i = 0; i < branch.nodeCount(); i++) {
            Node node = branch.node(i);
            b.append("  ".repeat(depth));
            if (node instanceof Element e) {
                b.append("element ").append(e.getQualifiedName()).append(" {").append(e.getNamespaceURI())
                        .append("} prefix=").append(e.getNamespacePrefix()).append(" local=").append(e.getName());
                for (Namespace ns : e.declaredNamespaces()) {
                    b.append(" xmlns:").append(ns.getPrefix()).append('=').append(ns.getURI());
                }
                for (Namespace ns : e.additionalNamespaces()) {
                    b.append(" additional:").append(ns.getPrefix()).append('=').append(ns.getURI());
                }
                for (Attribute a : e.attributes()) {
                    b.append(" @").append(a.getQualifiedName()).append('{').append(a.getNamespaceURI()).append("}=[")
                            .append(a.getValue()).append(']');
                }
                b.append('\n');
                content(e, b, depth + 1);
            } else if (node instanceof Text t) {
                b.append("text [").append(t.getText()).append("]\n");
            } else if (node instanceof Comment c) {
                b.append("comment [").append(c.getText()).append("]\n");
            } else {
                b.append(node.getClass().getSimpleName()).append(" [").append(node.getText()).append("]\n");
            }
        }
    }
}
