package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.Disk;
import dev.virtlint.model.SourceText;
import dev.virtlint.model.Span;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

class XmlTreeTest {

    private static DomainParser.Parsed domain(int disks) throws ParseException {
        StringBuilder b = new StringBuilder("<domain type='kvm'>\n  <name>many</name>\n");
        b.append("  <devices>\n");
        for (int i = 0; i < disks; i++) {
            b.append("    <disk type='file' device='disk'>\n      <source file='/img/d").append(i)
                    .append(".img'/>\n      <target dev='vd").append(i).append("' bus='virtio'/>\n    </disk>\n");
        }
        b.append("  </devices>\n</domain>\n");
        return (DomainParser.Parsed) DomainParser.parse(SourceText.of("many.xml", b.toString()));
    }

    /** Issue 15: looking up each disk's element scanned every tag of the file (quadratic in disks). */
    @Test
    void elementAtIndexesTheTagsOncePerTreeNotOncePerLookup() throws ParseException {
        DomainParser.Parsed p = domain(200);
        XmlTree tree = p.tree();
        for (Disk disk : p.domain().disks()) {
            Element e = tree.elementAt(disk.span()).orElseThrow();
            assertThat(e.getName()).isEqualTo("disk");
            assertThat(tree.tagSpan(e)).isEqualTo(disk.span());
            assertThat(tree.attribute(e.element("target"), "dev").value()).isEqualTo(disk.target());
        }
        assertThat(tree.elementAt(new Span(0, 1))).isEmpty();
        assertThat(tree.indexBuilds()).isEqualTo(1);
    }

    @Test
    void extentOfEndsWhereTheNextElementOutsideStarts() throws ParseException {
        DomainParser.Parsed p = domain(3);
        XmlTree tree = p.tree();
        String text = tree.source().text();
        var disks = p.domain().disks();
        Span first = tree.extentOf(tree.elementAt(disks.get(0).span()).orElseThrow());
        assertThat(first).isEqualTo(new Span(disks.get(0).span().start(), disks.get(1).span().start()));
        Span last = tree.extentOf(tree.elementAt(disks.get(2).span()).orElseThrow());
        assertThat(last).isEqualTo(new Span(disks.get(2).span().start(), text.length()));
    }
}
