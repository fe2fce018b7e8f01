package dev.virtlint.rewrite;

import dev.virtlint.advise.Recommendation;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Located;
import dev.virtlint.model.Setting;
import dev.virtlint.model.Span;
import dev.virtlint.rules.Edit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dom4j.Element;

/** Fixes in libvirt's domain XML: attribute edits in the start tags, or a new {@code <driver>}. */
final class XmlEditor implements Editor {

    static final XmlEditor INSTANCE = new XmlEditor();

    private XmlEditor() {
    }

    @Override
    public String refusal(Disk disk) {
        return null;
    }

    /** The preset name and the I/O mode on the {@code <driver>}, a new one if there is none. */
    @Override
    public List<Change> advised(Disk disk, Recommendation r) {
        List<Change> out = new ArrayList<>();
        CacheMode now = disk.cache();
        boolean cacheRight = now.explicit() && now.sameSwitches(r.cache().explicitMode());
        Span driver = disk.setting(Setting.DRIVER).map(Located::span).orElse(null);
        if (!cacheRight) {
            out.add(new Change(driver, disk.dialect().name(Setting.CACHE), r.cache().id()));
        }
        if (r.io() != null) {
            out.add(new Change(driver, disk.dialect().name(Setting.IO), r.io()));
        }
        return out;
    }

    @Override
    public Span owner(Edit edit) {
        return edit.owner();
    }

    @Override
    public void apply(ParsedFile file, Disk disk, List<Change> changes, TextEdits out) {
        String text = file.source().text();
        Map<Span, List<Change>> byOwner = new LinkedHashMap<>();
        List<Change> newDriver = new ArrayList<>();
        for (Change c : changes) {
            if (c.owner() == null) {
                newDriver.add(c);
            } else {
                byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<Span, List<Change>> e : byOwner.entrySet()) {
            XmlAttributes tag = XmlAttributes.of(text, e.getKey());
            for (Change c : e.getValue()) {
                if (c.value() == null) {
                    tag.remove(c.name(), out);
                } else if (!tag.value(c.name()).filter(c.value()::equals).isPresent()) {
                    tag.set(c.name(), c.value(), out);
                }
            }
        }
        List<Change> added = newDriver.stream().filter(c -> c.value() != null).toList();
        if (!added.isEmpty()) {
            addDriver(file, disk, added, out);
        }
    }

    /**
     * Adds a {@code <driver>} element with the given attributes as the disk's first child, indented
     * as that child is, quoted as the disk's own attributes are (libvirt's schema lets a disk's
     * children come in any order).
     */
    private static void addDriver(ParsedFile file, Disk disk, List<Change> attributes,
                                  TextEdits out) {
        String text = file.source().text();
        Optional<Element> element = file.tree().elementAt(disk.span());
        List<Element> children = element.map(Element::elements).orElse(List.of());
        if (children.isEmpty()) {
            throw new IllegalArgumentException("the disk has no child elements to place a <driver>"
                    + " beside; add one by hand");
        }
        int at = file.tree().tagSpan(children.get(0)).start();
        int indentStart = at;
        while (indentStart > disk.span().end()
                && Character.isWhitespace(text.charAt(indentStart - 1))) {
            indentStart--;
        }
        String indent = text.substring(indentStart, at);
        char quote = XmlAttributes.of(text, disk.span()).quote();
        StringBuilder driver = new StringBuilder("<driver");
        for (Change c : attributes) {
            driver.append(' ').append(c.name()).append('=').append(quote)
                    .append(XmlAttributes.escape(c.value(), quote)).append(quote);
        }
        driver.append("/>").append(indent);
        out.add(Span.at(at), driver.toString());
    }
}
