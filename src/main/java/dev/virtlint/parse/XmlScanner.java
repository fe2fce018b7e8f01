package dev.virtlint.parse;

import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every start tag and comment of an XML text with exact offsets. The SAX locator reports a
 * start tag where it ends (after {@code >}), and nothing at all for attributes, so the positions
 * come from here; dom4j decides whether the document is well-formed and what it means, and the two
 * are joined by document order ({@link XmlTree}).
 *
 * <p>The scanner assumes well-formed input but never loops or throws on anything else: where a
 * construct is not closed it stops.
 */
final class XmlScanner {

    /** A start tag from {@code <} to {@code >}. */
    record StartTag(Span span, String name, Span nameSpan, List<Attr> attributes, boolean selfClosing) {

        Attr attribute(String qname) {
            for (Attr a : attributes) {
                if (a.name().equals(qname)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** An attribute; {@code valueSpan} covers the characters between the quotes. */
    record Attr(String name, Span nameSpan, Span valueSpan, char quote) {
    }

    /** A comment; {@code bodySpan} covers what lies between {@code <!--} and {@code -->}. */
    record Comment(Span span, Span bodySpan, String body) {
    }

    /**
     * What the scan found; {@code doctype} is the offset of a {@code <!DOCTYPE}, or -1;
     * {@code rootEnd} is the offset just past the root element's end tag, or -1 when it does not
     * close; {@code secondRoot} is the offset of a start tag that follows the closed root element
     * (a second document in the same file), or -1.
     */
    record Result(List<StartTag> tags, List<Comment> comments, int doctype, int rootEnd, int secondRoot) {

        /** The root element's start tag: the first one, or null when there is none. */
        StartTag root() {
            return tags.isEmpty() ? null : tags.get(0);
        }

        /** The start tag at {@code secondRoot}, or null. */
        StartTag second() {
            for (StartTag t : tags) {
                if (t.span().start() == secondRoot) {
                    return t;
                }
            }
            return null;
        }
    }

    private final String text;
    /** The text as an array: scanning indexes it char by char, which is cheaper than String.charAt. */
    private final char[] chars;
    private final int n;
    private int pos;
    private final List<StartTag> tags = new ArrayList<>();
    private final List<Comment> comments = new ArrayList<>();
    private int doctype = -1;
    /** Open elements: the root closes when this falls back to 0. */
    private int depth;
    private int rootEnd = -1;
    private int secondRoot = -1;

    private XmlScanner(String text) {
        this.text = text;
        this.chars = text.toCharArray();
        this.n = text.length();
    }

    static Result scan(String text) {
        XmlScanner s = new XmlScanner(text);
        s.run();
        return new Result(List.copyOf(s.tags), List.copyOf(s.comments), s.doctype, s.rootEnd, s.secondRoot);
    }

    private void run() {
        while (pos < n) {
            int lt = text.indexOf('<', pos);
            if (lt < 0) {
                return;
            }
            pos = lt;
            if (text.startsWith("<!--", lt)) {
                int end = text.indexOf("-->", lt + 4);
                if (end < 0) {
                    return;
                }
                Span body = new Span(lt + 4, end);
                comments.add(new Comment(new Span(lt, end + 3), body, text.substring(lt + 4, end)));
                pos = end + 3;
            } else if (text.startsWith("<![CDATA[", lt)) {
                if (!skipPast("]]>", lt + 9)) {
                    return;
                }
            } else if (text.startsWith("<?", lt)) {
                if (!skipPast("?>", lt + 2)) {
                    return;
                }
            } else if (text.startsWith("<!", lt)) {
                if (text.startsWith("<!DOCTYPE", lt) && doctype < 0) {
                    doctype = lt;
                }
                if (!skipDeclaration(lt + 2)) {
                    return;
                }
            } else if (text.startsWith("</", lt)) {
                if (!skipPast(">", lt + 2)) {
                    return;
                }
                depth--;
                if (depth == 0 && rootEnd < 0) {
                    rootEnd = pos;
                }
            } else if (!startTag(lt)) {
                return;
            } else {
                opened(lt);
            }
        }
    }

    /** Keeps the depth after the start tag at {@code lt}, and notes the root's end and a second root. */
    private void opened(int lt) {
        StartTag tag = tags.get(tags.size() - 1);
        if (depth == 0 && rootEnd >= 0 && secondRoot < 0) {
            secondRoot = lt;
        }
        if (tag.selfClosing()) {
            if (depth == 0 && rootEnd < 0) {
                rootEnd = pos;
            }
        } else {
            depth++;
        }
    }

    private boolean skipPast(String terminator, int from) {
        int end = text.indexOf(terminator, from);
        if (end < 0) {
            return false;
        }
        pos = end + terminator.length();
        return true;
    }

    /** A declaration such as DOCTYPE may hold an internal subset in brackets and quoted literals. */
    private boolean skipDeclaration(int from) {
        int depth = 0;
        int i = from;
        while (i < n) {
            char c = chars[i];
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    return false;
                }
                i = close + 1;
                continue;
            }
            if (c == '<' && text.startsWith("<!--", i)) {
                int close = text.indexOf("-->", i + 4);
                if (close < 0) {
                    return false;
                }
                i = close + 3;
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '>' && depth <= 0) {
                pos = i + 1;
                return true;
            }
            i++;
        }
        return false;
    }

    private boolean startTag(int lt) {
        int i = lt + 1;
        int nameStart = i;
        while (i < n && !isSpace(chars[i]) && chars[i] != '>' && chars[i] != '/') {
            i++;
        }
        Span nameSpan = new Span(nameStart, i);
        List<Attr> attrs = new ArrayList<>();
        while (true) {
            while (i < n && isSpace(chars[i])) {
                i++;
            }
            if (i >= n) {
                return false;
            }
            char c = chars[i];
            if (c == '>') {
                tags.add(new StartTag(new Span(lt, i + 1), text.substring(nameStart, nameSpan.end()), nameSpan, attrs, false));
                pos = i + 1;
                return true;
            }
            if (c == '/' && i + 1 < n && chars[i + 1] == '>') {
                tags.add(new StartTag(new Span(lt, i + 2), text.substring(nameStart, nameSpan.end()), nameSpan, attrs, true));
                pos = i + 2;
                return true;
            }
            int attrStart = i;
            while (i < n && !isSpace(chars[i]) && chars[i] != '=' && chars[i] != '>') {
                i++;
            }
            Span attrName = new Span(attrStart, i);
            while (i < n && isSpace(chars[i])) {
                i++;
            }
            if (i >= n || chars[i] != '=') {
                return false;
            }
            i++;
            while (i < n && isSpace(chars[i])) {
                i++;
            }
            if (i >= n || (chars[i] != '"' && chars[i] != '\'')) {
                return false;
            }
            char quote = chars[i];
            int close = text.indexOf(quote, i + 1);
            if (close < 0) {
                return false;
            }
            attrs.add(new Attr(text.substring(attrStart, attrName.end()), attrName, new Span(i + 1, close), quote));
            i = close + 1;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
