package dev.virtlint.lint;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Domain;
import dev.virtlint.model.SourceText;
import dev.virtlint.parse.XmlTree;
import java.util.List;

/**
 * What one input held.
 *
 * @param name   the input's name in output
 * @param kind   {@code domain}, {@code disk} (a standalone {@code <disk>} document), {@code args},
 *               {@code drive} or {@code skipped}
 * @param source the decoded text
 * @param domain the domain, for domain XML; for a standalone disk, a domain that holds only the
 *               disk (its name, guest OS and memory unknown); else null
 * @param tree   the XML tree, for domain XML; else null
 * @param disks  every disk, in source order
 * @param note   why a skipped file was skipped; else null
 */
public record ParsedFile(String name, Kind kind, SourceText source, Domain domain, XmlTree tree, List<Disk> disks,
                         String note) {

    /** The kind of a parsed input, as the JSON report names it. */
    public enum Kind {
        DOMAIN("domain"), DISK("disk"), ARGS("args"), DRIVE("drive"), SKIPPED("skipped");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public ParsedFile {
        disks = List.copyOf(disks);
    }
}
