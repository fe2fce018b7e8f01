package dev.virtlint.rules;

import dev.virtlint.advise.Advisor;
import dev.virtlint.advise.Recommendation;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.GuestTable;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Annotations;
import dev.virtlint.model.Disk;
import dev.virtlint.model.DiskDevice;
import dev.virtlint.model.Domain;
import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the catalogue over a parsed file: the disk rules on every disk, the domain's own
 * suppressions, then the file rules.
 */
public final class Linter {

    /**
     * What a run is configured with, for one file.
     *
     * @param select     rule ids to run; empty means all that are not disabled
     * @param ignore     rule ids not to run, whatever else says so
     * @param policy     whether the host page cache is to be avoided
     * @param host       what is known of the host
     * @param rules      the rules: the catalogue and any custom rules
     * @param severities severity overrides by rule id
     * @param disabled   rule ids the configuration turns off (an explicit select turns them on again)
     * @param scratch    which disks the configuration declares scratch, by domain name (null for
     *                   none) and disk source path (null for none)
     * @param guests     what the configuration says about a domain's guest, by domain name and the
     *                   disk's bus (null when unknown); null when nothing
     * @param workloads  the workload the configuration chooses for a domain, by domain name; null when none
     */
    public record Settings(Set<String> select, Set<String> ignore, Advisor.Policy policy, HostFacts host,
                           List<Rule> rules, Map<String, Severity> severities, Set<String> disabled,
                           BiPredicate<String, String> scratch,
                           BiFunction<String, String, GuestFact> guests,
                           Function<String, Workload> workloads) {

        public Settings(Set<String> select, Set<String> ignore, Advisor.Policy policy, HostFacts host) {
            this(select, ignore, policy, host, Catalogue.rules(), Map.of(), Set.of(),
                    (name, path) -> false, (name, bus) -> null, name -> null);
        }

        public static Settings defaults() {
            return new Settings(Set.of(), Set.of(), Advisor.Policy.AVOID, HostFacts.defaults());
        }

        boolean enabled(String id) {
            if (ignore.contains(id)) {
                return false;
            }
            return select.isEmpty() ? !disabled.contains(id) : select.contains(id);
        }

        /** The rules this run runs, in catalogue order. */
        public List<Rule> enabledRules() {
            return rules.stream().filter(r -> enabled(r.id())).toList();
        }

        Optional<Rule> rule(String id) {
            return rules.stream().filter(r -> r.id().equals(id)).findFirst();
        }
    }

    /** Why the guest of a standalone {@code <disk>} is assumed to flush; {@link DiskCheck#name()} tells by it. */
    static final String STANDALONE_GUEST = "a standalone <disk> names no domain, so its guest OS is unknown"
            + " and it is assumed to flush";

    private Linter() {
    }

    /**
     * What the rules see of each disk of a file: its guest (resolved for the disk's bus, once per
     * bus), host, scratch status and advice.
     */
    public static List<DiskCheck> checks(ParsedFile file, Settings settings) {
        Domain domain = file.domain();
        Annotations notes = domain == null ? Annotations.NONE : domain.annotations();
        String name = domain == null ? null : domain.name();
        String declared = notes.guestNote().map(Annotations.Guest::flushes).orElse(null);
        String osId = domain == null ? null : domain.osId();
        Map<String, GuestFact> byBus = new HashMap<>(4);
        List<DiskCheck> checks = new ArrayList<>();
        for (Disk disk : file.disks()) {
            String bus = bus(disk);
            GuestFact guest = byBus.get(bus);
            if (guest == null) {
                guest = GuestTable.builtIn().resolve(declared,
                        name == null ? null : settings.guests().apply(name, bus), osId, bus);
                if (file.kind() == ParsedFile.Kind.DISK && guest.assumed()) {
                    // A standalone <disk> names no domain: its guest OS (and memory) cannot be
                    // known here.
                    guest = new GuestFact(guest.flushes(), STANDALONE_GUEST, guest.source());
                }
                byBus.put(bus, guest);
            }
            boolean scratch = disk.isTransient() || declaredScratch(notes, disk.target())
                    || settings.scratch().test(name, disk.source().orElse(null));
            Optional<Recommendation> advice = Advisor.advise(disk, guest, settings.host(), scratch, settings.policy());
            // The figures are the findings' evidence, computed once when a rule or the evidence
            // first asks (run): a rule whose severity follows them costs no second prediction.
            DiskCheck[] self = new DiskCheck[1];
            Supplier<Evidence> figures = memoize(() -> Evidences.omitted(disk).isEmpty()
                    ? Evidences.of(self[0], domain, settings.workloads()) : null);
            self[0] = new DiskCheck(disk, guest, settings.host(), scratch, advice, name,
                    memoize(() -> DiskView.of(disk, file.tree(), name)), figures);
            checks.add(self[0]);
        }
        return checks;
    }

    /**
     * The disk's bus as libvirt names it: the one written, else for libvirt XML the one libvirt
     * picks from the target name (src/conf/domain_postparse.c virDomainDiskDefPostParse: fd* and
     * floppies fdc, sd* scsi, vd* virtio, xvd* xen, ubd* uml, anything else ide); null when a
     * QEMU disk's bus is not known, or only the parser's default for a drive without
     * {@code if=} on a machine not known to default to IDE ({@link Disk#busImplied()}).
     */
    static String bus(Disk disk) {
        if (disk.busImplied()) {
            return null;
        }
        Optional<String> written = disk.bus();
        if (written.isPresent() || !disk.dialect().libvirt()) {
            return written.orElse(null);
        }
        if (disk.device() == DiskDevice.FLOPPY) {
            return "fdc";
        }
        String t = disk.target();
        return t.startsWith("hd") ? "ide" : t.startsWith("sd") ? "scsi"
                : t.startsWith("vd") ? "virtio" : t.startsWith("xvd") ? "xen"
                : t.startsWith("ubd") ? "uml" : "ide";
    }

    public static List<Finding> lint(ParsedFile file, Settings settings) {
        return lint(file, settings, true);
    }

    /**
     * The findings of a file, sorted by position; with {@code evidence}, every finding about a writable
     * disk carries the simulator's figures ({@code fix} does without them).
     */
    public static List<Finding> lint(ParsedFile file, Settings settings, boolean withEvidence) {
        return run(file, settings, withEvidence).findings();
    }

    /** A finding that a suppression in the source hid, and the reason it gives (null when none). */
    public record Suppressed(Finding finding, String reason) {
    }

    /** The findings of a file and those its suppressions hid. */
    public record Result(List<Finding> findings, List<Suppressed> suppressed) {
    }

    /**
     * {@link #lint(ParsedFile, Settings, boolean)}, keeping what the suppressions hid (SARIF reports
     * it): the disk rules on every disk, then the file's suppressions, then one finding per cause
     * (implicit-cache-mode is left out on a disk where a finding it causes says so itself:
     * {@link ImplicitCacheModeRule#withoutRestated}), then the file rules, which see what the
     * suppressions did.
     */
    public static Result run(ParsedFile file, Settings settings, boolean withEvidence) {
        Domain domain = file.domain();
        Annotations notes = domain == null ? Annotations.NONE : domain.annotations();
        List<Finding> findings = new ArrayList<>();
        for (DiskCheck check : checks(file, settings)) {
            int before = findings.size();
            // A disk libvirt or QEMU refuses never runs as written: only invalid-setting speaks of
            // it, and the other rules look at it again once it is corrected.
            boolean runs = check.disk().refused().isEmpty();
            for (Rule rule : settings.rules()) {
                if (rule instanceof DiskRule disk && settings.enabled(rule.id())
                        && (runs || rule instanceof InvalidSettingRule)) {
                    disk.check(check, findings);
                }
            }
            if (withEvidence && runs && findings.size() > before && check.writable()
                    && Evidences.omitted(check.disk()).isEmpty()) {
                Evidence evidence = check.evidence();
                for (int i = before; i < findings.size(); i++) {
                    findings.set(i, findings.get(i).withEvidence(evidence));
                }
            }
        }
        List<Suppressions.Suppression> suppressions = Suppressions.of(file, notes);
        boolean[] used = new boolean[suppressions.size()];
        List<Suppressed> hidden = new ArrayList<>();
        if (!suppressions.isEmpty()) {
            Suppressions.Index index = new Suppressions.Index(suppressions);
            List<Finding> shown = new ArrayList<>(findings.size());
            for (Finding f : findings) {
                Suppressions.Suppression first = null;
                for (int i : index.covering(f)) {
                    used[i] = true;
                    first = first == null ? suppressions.get(i) : first;
                }
                if (first != null) {
                    hidden.add(new Suppressed(f, first.reason()));
                } else {
                    shown.add(f);
                }
            }
            findings = shown;
        }
        // One cause, one finding: what a missing cache mode causes is said once per disk.
        findings = ImplicitCacheModeRule.withoutRestated(findings);
        FileCheck fileCheck = new FileCheck(file, suppressions, used, settings);
        for (Rule rule : settings.rules()) {
            if (rule instanceof FileRule whole && settings.enabled(rule.id())) {
                whole.check(fileCheck, findings);
            }
        }
        if (!settings.severities().isEmpty()) {
            for (int i = 0; i < findings.size(); i++) {
                Severity override = settings.severities().get(findings.get(i).rule());
                if (override != null) {
                    findings.set(i, findings.get(i).withSeverity(override));
                }
            }
            for (int i = 0; i < hidden.size(); i++) {
                Suppressed h = hidden.get(i);
                Severity override = settings.severities().get(h.finding().rule());
                if (override != null) {
                    hidden.set(i, new Suppressed(h.finding().withSeverity(override), h.reason()));
                }
            }
        }
        if (findings.size() > 1) {
            // Our own lambda, not Comparator's combinators: the class-data archive keeps ours; the
            // JDK's are made at run time.
            findings.sort((a, b) -> a.span().start() != b.span().start()
                    ? Integer.compare(a.span().start(), b.span().start()) : a.rule().compareTo(b.rule()));
        }
        return new Result(findings, hidden);
    }

    private static <T> Supplier<T> memoize(Supplier<T> make) {
        Object[] box = new Object[1];
        return () -> {
            if (box[0] == null) {
                box[0] = make.get();
            }
            @SuppressWarnings("unchecked")
            T t = (T) box[0];
            return t;
        };
    }

    private static boolean declaredScratch(Annotations notes, String target) {
        return notes.disks().stream().anyMatch(n -> target.equals(n.target()) && Boolean.TRUE.equals(n.scratch()));
    }

}
