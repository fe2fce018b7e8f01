package dev.virtlint.rewrite;

import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attribute edits inside one start tag, in the tag's own style: a changed value keeps its quote
 * character; a new attribute goes after the last one, separated as the others are, quoted as its
 * neighbours are; a removed attribute takes the white space before it along.
 */
final class XmlAttributes {

    /** One attribute as written: name, the whole {@code name='value'} and the value between the quotes. */
    record Attribute(String name, Span whole, Span value, char quote, Span spaceBefore) {
    }

    private final String text;
    private final Span tag;
    private final List<Attribute> attributes;

    private XmlAttributes(String text, Span tag, List<Attribute> attributes) {
        this.text = text;
        this.tag = tag;
        this.attributes = attributes;
    }

    /** Reads the attributes of the start tag at {@code tag} (from {@code <} to {@code >}). */
    public static XmlAttributes of(String text, Span tag) {
        if (tag.length() < 2 || text.charAt(tag.start()) != '<') {
            throw new IllegalArgumentException("not a start tag at " + tag.start());
        }
        List<Attribute> found = new ArrayList<>();
        int i = tag.start() + 1;
        int end = tag.end();
        while (i < end && !isSpace(text.charAt(i)) && text.charAt(i) != '>' && text.charAt(i) != '/') {
            i++;
        }
        while (i < end) {
            int space = i;
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            char c = text.charAt(i);
            if (c == '>' || c == '/') {
                break;
            }
            int nameStart = i;
            while (i < end && text.charAt(i) != '=' && !isSpace(text.charAt(i))) {
                i++;
            }
            String name = text.substring(nameStart, i);
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= end || text.charAt(i) != '=') {
                throw new IllegalArgumentException("malformed attribute " + name + " at " + nameStart);
            }
            i++;
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            char quote = text.charAt(i);
            int close = text.indexOf(quote, i + 1);
            if ((quote != '\'' && quote != '"') || close < 0 || close >= end) {
                throw new IllegalArgumentException("malformed attribute value of " + name + " at " + i);
            }
            found.add(new Attribute(name, new Span(nameStart, close + 1), new Span(i + 1, close), quote,
                    new Span(space, nameStart)));
            i = close + 1;
        }
        return new XmlAttributes(text, tag, found);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    Optional<Attribute> find(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The raw value of an attribute as written (entities not expanded), if the tag has it. */
    public Optional<String> value(String name) {
        return find(name).map(a -> text.substring(a.value().start(), a.value().end()));
    }

    /** The quote character a new attribute of this tag gets: its last attribute's, else the document's. */
    public char quote() {
        return attributes.isEmpty() ? documentQuote() : attributes.get(attributes.size() - 1).quote();
    }

    /** Sets an attribute: its value is replaced if it exists, else it is added after the last one. */
    public void set(String name, String value, TextEdits edits) {
        Optional<Attribute> existing = find(name);
        if (existing.isPresent()) {
            edits.add(existing.get().value(), escape(value, existing.get().quote()));
            return;
        }
        char quote = quote();
        String space = attributes.isEmpty() ? " " : spaceOf(attributes.get(attributes.size() - 1));
        int at = attributes.isEmpty() ? nameEnd() : attributes.get(attributes.size() - 1).whole().end();
        edits.add(Span.at(at), space + name + "=" + quote + escape(value, quote) + quote);
    }

    /** Removes an attribute and the white space before it; nothing when it is not there. */
    public void remove(String name, TextEdits edits) {
        find(name).ifPresent(a -> edits.add(new Span(a.spaceBefore().start(), a.whole().end()), ""));
    }

    /** The separator before an attribute; a line break with indentation stays a line break. */
    private String spaceOf(Attribute a) {
        String s = text.substring(a.spaceBefore().start(), a.spaceBefore().end());
        return s.isEmpty() ? " " : s;
    }

    private int nameEnd() {
        int i = tag.start() + 1;
        while (i < tag.end() && !isSpace(text.charAt(i)) && text.charAt(i) != '>' && text.charAt(i) != '/') {
            i++;
        }
        return i;
    }

    /** The quote character the document's first attribute uses, else the apostrophe libvirt writes. */
    private char documentQuote() {
        for (int i = 0; i < text.length() - 1; i++) {
            if (text.charAt(i) == '=' && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"')) {
                return text.charAt(i + 1);
            }
        }
        return '\'';
    }

    /** An attribute value for the given quote character. */
    public static String escape(String value, char quote) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '\'' -> b.append(quote == '\'' ? "&apos;" : "'");
                case '"' -> b.append(quote == '"' ? "&quot;" : "\"");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
