package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.advise.Recommendation;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Origin;
import dev.virtlint.model.Setting;
import dev.virtlint.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything a rule may look at for one disk, and the helpers that make findings uniform.
 *
 * @param disk    the disk
 * @param guest   whether its guest flushes
 * @param host    what is known of the host
 * @param scratch declared scratch: {@code <transient/>}, {@code snapshot=on}, or metadata
 * @param advice  the advisor's recommendation, empty for disks that get none
 * @param domain  the domain's name, or null
 * @param view    the disk as an XML element, for declarative rules (built when first asked for)
 */
public record DiskCheck(Disk disk, GuestFact guest, HostFacts host, boolean scratch,
                        Optional<Recommendation> advice, String domain, Supplier<DiskView> view) {

    /**
     * Whether the cache rules apply: not to disks that get no cache advice
     * ({@link Disk#noCacheAdvice()}: read-only disks and CD-ROMs, empty drives, SCSI passthrough,
     * vhost-user, vvfat), nor to disks whose cache setting libvirt or QEMU refuses, which
     * cache-mode-refused reports alone.
     */
    public boolean writable() {
        return Advisor.advisable(disk) && CacheModeRefusedRule.refusal(disk).isEmpty();
    }

    /** The first of the given settings that the disk has in its source, else the disk itself. */
    public Span pointAt(Setting... preference) {
        for (Setting s : preference) {
            Optional<Span> span = disk.setting(s).map(l -> l.span());
            if (span.isPresent()) {
                return span.get();
            }
        }
        return disk.span();
    }

    /** Where the cache mode comes from: the mode itself, else the switch that set it, else the driver. */
    public Span cacheSpan(Setting... switches) {
        Setting[] order = new Setting[switches.length + 2];
        order[0] = Setting.CACHE;
        System.arraycopy(switches, 0, order, 1, switches.length);
        order[order.length - 1] = Setting.DRIVER;
        return pointAt(order);
    }

    /** How the cache mode reads in messages: {@code cache='unsafe'} for XML, {@code cache=unsafe} for QEMU. */
    public String cacheText() {
        CacheMode c = disk.cache();
        if (!c.explicit()) {
            return "no cache mode (QEMU's default, writeback)";
        }
        return setting("cache", c.modeName());
    }

    /** {@code name='value'} in XML, {@code name=value} on a QEMU command line. */
    public String setting(String name, String value) {
        return disk.origin() == Origin.XML ? name + "='" + value + "'" : name + "=" + value;
    }

    /**
     * {@code disk vda (/path)}: how a message names the disk; a standalone {@code <disk>} says that
     * its domain, and so the guest OS and memory the rules would use, are unknown.
     */
    public String name() {
        String where = standalone() ? "standalone <disk>, domain and guest OS unknown" : null;
        String inside = disk.source().map(s -> where == null ? s : s + "; " + where).orElse(where);
        return "disk " + disk.target() + (inside == null ? "" : " (" + inside + ")");
    }

    /** Whether the disk is a standalone {@code <disk>} document, with no domain around it. */
    public boolean standalone() {
        return Linter.STANDALONE_GUEST.equals(guest.reason());
    }

    public Finding finding(Rule rule, Severity severity, String message, Span span) {
        return new Finding(rule.id(), severity, message, span, disk.target(), advice.orElse(null), fixText());
    }

    /** What the recommendation changes on this disk, or null when it changes nothing. */
    String fixText() {
        if (advice.isEmpty()) {
            return null;
        }
        Recommendation r = advice.get();
        List<String> parts = new ArrayList<>();
        CacheMode current = disk.cache();
        if (!current.explicit() || current.preset().filter(p -> p == r.cache()).isEmpty()) {
            String from = current.explicit() ? setting("cache", current.modeName()) : "no cache mode";
            parts.add(from + " -> " + setting("cache", r.cache().id()));
        }
        if (r.io() != null) {
            String key = disk.origin() == Origin.XML ? "io" : "aio";
            parts.add(setting(key, disk.io().orElse("")) + " -> " + setting(key, r.io()));
        }
        if (parts.isEmpty()) {
            return null;
        }
        String text = String.join(", ", parts);
        if (r.assumption() == null) {
            return text;
        }
        return text + (r.automatic() ? "; " : "; not applied by fix: ") + r.assumption();
    }

    public Finding finding(Rule rule, String message, Span span) {
        return finding(rule, rule.info().severity(), message, span);
    }
}
