package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.advise.Recommendation;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheOption;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Setting;
import dev.virtlint.model.Span;
import dev.virtlint.sim.Evidence;
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
 * @param figures the simulator's evidence for the disk as it is and as recommended, computed when
 *                first asked for and shared with the findings' evidence ({@link Linter}); null
 *                when the disk has none (a network disk, or a check built without a domain)
 */
public record DiskCheck(Disk disk, GuestFact guest, HostFacts host, boolean scratch,
                        Optional<Recommendation> advice, String domain, Supplier<DiskView> view,
                        Supplier<Evidence> figures) {

    /** A check without simulator figures ({@link #evidence()} is null). */
    public DiskCheck(Disk disk, GuestFact guest, HostFacts host, boolean scratch,
                     Optional<Recommendation> advice, String domain, Supplier<DiskView> view) {
        this(disk, guest, host, scratch, advice, domain, view, () -> null);
    }

    /**
     * The simulator's figures for this disk under its workload, as the findings carry them
     * ({@link Evidences#of}); null when there are none. A rule whose severity follows the figures
     * asks for them; they are computed once per disk.
     */
    public Evidence evidence() {
        return figures.get();
    }

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

    /**
     * How the cache mode reads in messages, named as the file writes it: {@code cache='unsafe'} in
     * XML, {@code cache=unsafe} or {@code cache.direct=off,cache.no-flush=on} on a {@code -drive},
     * {@code cache.no-flush=true on node NAME} on a {@code -blockdev}, with the preset those switches
     * amount to when they are not written as one, and why switches written where QEMU does not act
     * on them change nothing. Never a mode name that appears nowhere in the file.
     */
    public String cacheText() {
        CacheMode c = disk.cache();
        String note = disk.cacheNote().map(n -> " (" + n + ")").orElse("");
        if (!c.explicit()) {
            return "no cache mode (QEMU's default, writeback" + disk.cacheNote().map(n -> "; " + n).orElse("") + ")";
        }
        List<CacheOption> written = disk.cacheOptions();
        if (written.isEmpty() && c.preset().isPresent()) {
            // XML: <driver cache=> is the only way to write a mode, and it is always a preset.
            return setting("cache", c.preset().get().id()) + note;
        }
        if (written.isEmpty()) {
            // Only a parser that records no options gets here; name the switches, not a mode.
            Dialect d = disk.dialect();
            return setting(d.name(Setting.CACHE_WRITEBACK), onOff(c.writeback())) + ","
                    + setting(d.name(Setting.CACHE_DIRECT), onOff(c.direct())) + ","
                    + setting(d.name(Setting.CACHE_NO_FLUSH), onOff(c.noFlush())) + note;
        }
        String text = describe(written);
        // The preset is named only when no written cache= already names it.
        boolean asPreset = written.stream().anyMatch(o -> o.setting() == Setting.CACHE
                && CacheMode.Preset.byName(o.value()).equals(c.preset()));
        if (!asPreset && c.preset().isPresent()) {
            return text + " (the switches of " + setting("cache", c.preset().get().id())
                    + disk.cacheNote().map(n -> "; " + n).orElse("") + ")";
        }
        return text + note;
    }

    /**
     * What a message says after the disk's name about its cache mode: {@code uses cache='none'}
     * ({@link #cacheText()}), or, for a disk that gives none, that none is given and what QEMU uses
     * instead, so that a finding caused by the missing mode says its cause itself and
     * implicit-cache-mode need not be reported beside it ({@link Linter}, one cause, one finding).
     * QEMU's default is writeback (qemu-options.hx, {@code -drive}: "The default mode is
     * cache=writeback", since QEMU 1.2; implicit-cache-mode says what older versions do).
     */
    public String usesText() {
        if (disk.cache().explicit()) {
            return "uses " + cacheText();
        }
        String note = disk.cacheNote().map(n -> " (" + n + ")").orElse("");
        String uses = host.qemu().filter(ImplicitCacheModeRule::olderThan12)
                .map(v -> "the host's QEMU " + v + " uses writethrough").orElse("QEMU uses writeback");
        return (spelledDefault() ? "sets " + setting("cache", "default") + " (no mode)"
                : "gives no cache mode") + note + ", so " + uses;
    }

    /**
     * Whether the file writes libvirt's {@code cache='default'}: a valid value of
     * virDomainDiskCache (src/conf/domain_conf.c) that means no mode, as without the attribute.
     */
    boolean spelledDefault() {
        return disk.setting(Setting.CACHE).filter(l -> l.value().equals("default")).isPresent();
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** Options as written, those of one place together: {@code a=1,b=2 on node X and c=3 on the device}. */
    String describe(List<CacheOption> options) {
        return describe(disk.dialect(), options);
    }

    /**
     * How the configuration writes a disk's cache settings, as messages name them: for JSON
     * reports; null when nothing is written.
     */
    public static String written(Disk disk) {
        if (!disk.cacheOptions().isEmpty()) {
            return describe(disk.dialect(), disk.cacheOptions());
        }
        // A syntax of presets only writes a mode as its name, which holds no switches to list.
        CacheMode c = disk.cache();
        Dialect d = disk.dialect();
        return c.explicit() && d.presetsOnly() ? d.render(d.name(Setting.CACHE), c.modeName())
                : null;
    }

    static String describe(Dialect dialect, List<CacheOption> options) {
        List<String> groups = new ArrayList<>();
        StringBuilder group = new StringBuilder();
        String where = null;
        for (CacheOption o : options) {
            if (where != null && !where.equals(o.where())) {
                groups.add(group + (where.isEmpty() ? "" : " " + where));
                group.setLength(0);
            }
            if (!group.isEmpty()) {
                group.append(',');
            }
            group.append(dialect.render(o.key(), o.value()));
            where = o.where();
        }
        if (where != null) {
            groups.add(group + (where.isEmpty() ? "" : " " + where));
        }
        return String.join(" and ", groups);
    }

    /** A setting as the disk's syntax writes it: {@code name='value'} in XML. */
    public String setting(String name, String value) {
        return disk.dialect().render(name, value);
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
        return new Finding(rule.id(), severity, message, span, disk, advice.orElse(null), fixText());
    }

    /**
     * A finding whose detection rests on an assumption: one short clause starting with "assumes"
     * ({@code assumes the guest flushes: its OS is not named}), which every report prints with
     * it; null adds nothing. What the fix rests on comes from the recommendation.
     */
    public Finding finding(Rule rule, Severity severity, String message, Span span,
                           String assumption) {
        return finding(rule, severity, message, span).withDetection(assumption);
    }

    /** {@link #finding(Rule, Severity, String, Span, String)} at the rule's own severity. */
    public Finding finding(Rule rule, String message, Span span, String assumption) {
        return finding(rule, rule.info().severity(), message, span, assumption);
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
            if (disk.dialect().presetsOnly()) {
                String cache = disk.dialect().name(Setting.CACHE);
                String from = current.explicit() ? setting(cache, current.modeName())
                        : "no cache mode";
                parts.add(from + " -> " + setting(cache, r.cache().id()));
            } else {
                parts.add(switchChange(r.cache().explicitMode()));
            }
        }
        if (r.io() != null) {
            String key = disk.dialect().name(Setting.IO);
            parts.add(setting(key, disk.io().orElse("")) + " -> " + setting(key, r.io()));
        }
        // What the change rests on is the finding's (Finding#fixAssumptions), which reports print
        // beside this text.
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /**
     * What setting a QEMU disk to {@code want} changes, in its own options: the ones the fixer
     * edits (rewrite/Fixer), old values then new ones, booleans spelled as the old value is.
     */
    private String switchChange(CacheMode want) {
        List<CacheOption> before = new ArrayList<>();
        List<CacheOption> after = new ArrayList<>();
        List<CacheOption> written = disk.cacheOptions();
        if (!disk.blockdev()) {
            boolean allSwitches = disk.setting(Setting.CACHE_WRITEBACK).isPresent()
                    && disk.setting(Setting.CACHE_DIRECT).isPresent()
                    && disk.setting(Setting.CACHE_NO_FLUSH).isPresent();
            // With all three switches written the fixer leaves cache= alone (they win over it).
            if (!allSwitches) {
                Optional<CacheOption> old = find(written, Setting.CACHE);
                String id = want.preset().map(CacheMode.Preset::id).orElseThrow();
                boolean same = old.isPresent()
                        && CacheMode.Preset.byName(old.get().value()).filter(p -> p.id().equals(id)).isPresent();
                if (!same) {
                    old.ifPresent(before::add);
                    after.add(new CacheOption(Setting.CACHE, "cache", id, ""));
                }
            }
        }
        for (Setting s : List.of(Setting.CACHE_WRITEBACK, Setting.CACHE_DIRECT, Setting.CACHE_NO_FLUSH,
                Setting.WRITE_CACHE)) {
            boolean on = switch (s) {
                case CACHE_DIRECT -> want.direct();
                case CACHE_NO_FLUSH -> want.noFlush();
                default -> want.writeback();
            };
            Optional<CacheOption> old = find(written, s);
            boolean now = switch (s) {
                case CACHE_DIRECT -> disk.cache().direct();
                case CACHE_NO_FLUSH -> disk.cache().noFlush();
                default -> disk.cache().writeback();
            };
            if (old.isPresent()) {
                if (BOOLEANS.indexOf(old.get().value()) % 2 != (on ? 0 : 1)) {
                    before.add(old.get());
                    after.add(new CacheOption(s, old.get().key(), spelled(on, old.get().value()), old.get().where()));
                }
            } else if (disk.blockdev() && now != on && s != Setting.CACHE_WRITEBACK) {
                // Nothing written to change: the fixer must add it, which it cannot do to JSON.
                after.add(new CacheOption(s, disk.dialect().name(s), onOff(on),
                        s == Setting.WRITE_CACHE ? "on the device" : "on the node that opens the image"));
            }
        }
        if (before.isEmpty()) {
            return (disk.cache().explicit() ? "add " : "no cache mode -> ") + describe(after);
        }
        return describe(before) + " -> " + describe(after);
    }

    private static Optional<CacheOption> find(List<CacheOption> options, Setting s) {
        return options.stream().filter(o -> o.setting() == s).findFirst();
    }

    /** Boolean spellings in pairs, true first: QEMU takes all of them in option strings, JSON only true and false. */
    private static final List<String> BOOLEANS = List.of("on", "off", "true", "false", "yes", "no", "y", "n");

    private static String spelled(boolean on, String old) {
        int o = BOOLEANS.indexOf(old);
        return o < 0 ? onOff(on) : BOOLEANS.get(o - o % 2 + (on ? 0 : 1));
    }

    public Finding finding(Rule rule, String message, Span span) {
        return finding(rule, rule.info().severity(), message, span);
    }
}
