package dev.virtlint.cli;

import dev.virtlint.config.Config;
import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.GuestTable;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.lint.Loader;
import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheMode.Preset;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.report.EvidenceReport;
import dev.virtlint.report.HtmlReport;
import dev.virtlint.report.Json;
import dev.virtlint.rules.DiskCheck;
import dev.virtlint.rules.Evidences;
import dev.virtlint.rules.Linter;
import dev.virtlint.sim.Evidence;
import dev.virtlint.sim.Prediction;
import dev.virtlint.sim.Simulator.Scenario;
import dev.virtlint.sim.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code virtlint simulate}: the what-if table of all five cache modes for one disk. */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Predict loss and speed under every cache mode for one disk, or for facts given as options.",
        // The header is the sentence virtlint --help lists; the description says the rest, one
        // paragraph per element, which picocli wraps to the usage width.
        description = {"FILE[:TARGET] names the disk: a domain XML or .args file, and the disk's"
                + " target when the file has several. Without it, the options give the facts; with"
                + " it, they change what the file says."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE[:TARGET]", arity = "0..1",
            description = "A domain XML or .args file, and the disk's target (e.g. vm.xml:vdb) when it has several.")
    String disk;

    @Option(names = "--guest", paramLabel = "OSID", description = "The guest OS, a libosinfo id from rules/guest-os.tsv.")
    String guest;

    @Option(names = "--flushes", paramLabel = "yes|no|cond", description = "Whether the guest sends flushes.")
    String flushes;

    @Option(names = "--workload", paramLabel = "ID",
            description = "database, build, scratch-test, streaming or read-mostly (default: the configuration's"
                    + " choice, else database; scratch-test for scratch disks).")
    String workload;

    @Option(names = "--host", paramLabel = "FILE", description = "Host profile (YAML), e.g. from virtlint probe.")
    Path host;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration for a FILE (default: the nearest " + Config.FILE_NAME + ").")
    Path config;

    @Option(names = "--format", paramLabel = "FORMAT", split = ",",
            description = "text, json or html (the output), raw or qcow2 (the image); repeatable, e.g."
                    + " --format qcow2,json.")
    List<String> formats = new ArrayList<>();

    @Option(names = "--preallocated", description = "The image's space is allocated up front (given facts only).")
    boolean preallocated;

    @Option(names = "--cache", paramLabel = "MODE",
            description = "The current mode the ratios compare with (given facts only; default: writeback).")
    String cache;

    /** What the table's figures rest on, set with the scenario. */
    private Evidence.Basis basis;
    /** Whether the image is stated preallocated, its qcow2 L2 entries included (Evidences.qcow2Allocated). */
    private boolean l2Allocated;

    @Override
    public Integer call() throws IOException, YamlException {
        String output = "text";
        Boolean qcow2 = null;
        for (String f : formats) {
            switch (f) {
                case "text", "json", "html" -> output = f;
                case "raw" -> qcow2 = false;
                case "qcow2" -> qcow2 = true;
                default -> throw usage("--format takes text, json, html, raw or qcow2, not '" + f + "'");
            }
        }
        if (guest != null && flushes != null) {
            throw usage("give --guest or --flushes, not both");
        }
        HostFacts hostFacts = ConfigLookup.hostProfile(host, spec.commandLine());
        Workload chosen = null;
        if (workload != null) {
            chosen = Workload.byId(workload).orElseThrow(() -> usage("unknown workload '" + workload
                    + "'; expected one of " + Workload.ids()));
        }
        GuestFact guestFact = guestFact();

        List<String> assumptions = new ArrayList<>();
        Scenario scenario;
        String subject;
        if (disk != null) {
            if (preallocated || cache != null) {
                throw usage("--preallocated and --cache describe given facts; a FILE says them itself");
            }
            Located located = locate(hostFacts);
            if (located == null) {
                return ExitCode.INPUT;
            }
            scenario = ofDisk(located, guestFact, chosen, qcow2, assumptions);
            String domain = located.check().domain();
            subject = located.check().name() + (domain == null ? "" : " of domain " + domain);
        } else {
            scenario = ofFacts(hostFacts, guestFact, chosen, qcow2, assumptions);
            subject = "the given facts";
        }
        Evidences.WhatIf table = Evidences.whatIf(scenario, assumptions, basis, l2Allocated);
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("html")) {
            out.print(HtmlReport.whatIf(VersionProvider.version(), about(subject, scenario, table.current()),
                    table.modes(), table.current(), basis, scenario.guestFlushes(), table.assumptions()));
        } else if (output.equals("json")) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("workload", scenario.workload().id());
            root.put("guestFlushes", scenario.guestFlushes());
            root.put("format", scenario.qcow2() ? "qcow2" : "raw");
            root.put("preallocated", scenario.preallocated());
            root.put("current", table.current().cache());
            root.put("modes", table.modes().stream().map(m -> EvidenceReport.json(m, basis)).toList());
            root.put("assumptions", table.assumptions());
            EvidenceReport.basis(basis, root);
            out.print(Json.write(root) + "\n");
        } else {
            out.print(table(subject, scenario, table.current(), table.modes(),
                    table.assumptions(), basis));
        }
        out.flush();
        return ExitCode.OK;
    }

    /** The disk's scenario as the lint's evidence has it, with what the options say instead. */
    private Scenario ofDisk(Located located, GuestFact guestFact, Workload chosen,
                            Boolean qcow2, List<String> assumptions) {
        DiskCheck check = located.check();
        if (guestFact != null) {
            check = new DiskCheck(check.disk(), guestFact, check.host(), check.scratch(),
                    check.advice(), check.domain(), check.view());
        }
        Function<String, Workload> workloads = located.settings().workloads();
        Scenario s = Evidences.scenario(check, located.domain(),
                name -> chosen != null ? chosen : workloads.apply(name), assumptions);
        if (qcow2 != null) {
            s = new Scenario(s.cache(), s.guestFlushes(), s.workload(), qcow2, s.preallocated(),
                    s.guestMemory(), s.host(), s.costs());
        }
        String domain = located.domain() == null ? null : located.domain().name();
        l2Allocated = Evidences.qcow2Allocated(check);
        basis = Evidences.basis(check, s, chosen != null ? "with --workload"
                : domain != null && workloads.apply(domain) != null ? "in .virtlint.yaml" : null);
        return s;
    }

    /** The scenario of the facts the options give, and the defaults for those they do not. */
    private Scenario ofFacts(HostFacts hostFacts, GuestFact guestFact, Workload chosen,
                             Boolean qcow2, List<String> assumptions) {
        GuestFact g = guestFact != null ? guestFact
                : GuestTable.builtIn().resolve(null, null, null);
        if (guestFact == null) {
            assumptions.add("the guest flushes (give --guest or --flushes)");
        }
        Workload w = chosen != null ? chosen : Workload.DATABASE;
        if (chosen == null) {
            assumptions.add("workload database (give --workload)");
        }
        CacheMode current = CacheMode.DEFAULT;
        if (cache != null) {
            current = Preset.byName(cache)
                    .orElseThrow(() -> usage("unknown cache mode '" + cache + "'")).explicitMode();
        }
        HostFacts h = hostFacts != null ? hostFacts : HostFacts.defaults();
        Scenario s = Evidences.given(current, g.flushes() == Flushes.YES, w,
                Boolean.TRUE.equals(qcow2), preallocated, h, assumptions);
        // Given facts: --preallocated says the image's space, L2 entries included, exists.
        l2Allocated = preallocated;
        basis = Evidences.basis(s, chosen != null ? "with --workload" : null, h);
        return s;
    }

    private GuestFact guestFact() {
        if (guest != null) {
            GuestFact known = GuestTable.builtIn().lookup(guest).orElseThrow(() -> usage(
                    "the guest table (rules/guest-os.tsv) does not know '" + guest + "'; give --flushes instead"));
            return new GuestFact(known.flushes(), known.reason(), "config");
        }
        if (flushes != null) {
            Flushes f = Flushes.byId(flushes).orElseThrow(() -> usage("--flushes takes yes, no or cond"));
            return new GuestFact(f, "--flushes " + f.id(), "config");
        }
        return null;
    }

    private record Located(DiskCheck check, dev.virtlint.model.Domain domain, Linter.Settings settings) {
    }

    /** The disk named by FILE[:TARGET]; null after printing why when the file cannot be read. */
    private Located locate(HostFacts host) throws YamlException {
        String file = disk;
        String target = null;
        if (!Files.exists(Path.of(file)) && file.lastIndexOf(':') > 0) {
            target = file.substring(file.lastIndexOf(':') + 1);
            file = file.substring(0, file.lastIndexOf(':'));
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw usage("no such file: " + file);
        }
        Loader.Outcome outcome = Loader.load(Input.file(file, path, Input.Kind.SNIFF));
        if (outcome.file() == null) {
            spec.commandLine().getErr().println(outcome.error().format());
            spec.commandLine().getErr().flush();
            return null;
        }
        Linter.Settings settings = ConfigLookup.warningTo(config, spec.commandLine().getErr()).forInput(path)
                .settingsFor(path, Set.of(), Set.of(), host);
        List<DiskCheck> checks = Linter.checks(outcome.file(), settings);
        List<DiskCheck> writable = checks.stream().filter(DiskCheck::writable).toList();
        String targets = String.join(", ", writable.stream().map(c -> c.disk().target()).toList());
        if (target == null) {
            if (writable.size() != 1) {
                throw usage(writable.isEmpty() ? file + " has no writable disk to simulate"
                        : file + " has several writable disks; name one: " + file + ":TARGET with TARGET one of "
                        + targets);
            }
            return simulable(writable.get(0), outcome.file().domain(), settings, file);
        }
        for (DiskCheck c : checks) {
            if (c.disk().target().equals(target)) {
                if (!c.writable()) {
                    String why = c.disk().noCacheAdvice()
                            .orElse("libvirt or QEMU refuses its cache setting, see cache-mode-refused");
                    throw usage("disk " + target + " of " + file + " gets no cache advice (" + why
                            + "); nothing to simulate");
                }
                return simulable(c, outcome.file().domain(), settings, file);
            }
        }
        throw usage(file + " has no disk " + target + (targets.isEmpty() ? "" : "; writable disks: " + targets));
    }

    /** The disk to simulate, unless the simulator's host page cache model would be false for it. */
    private Located simulable(DiskCheck c, dev.virtlint.model.Domain domain,
                              Linter.Settings settings, String file) {
        Optional<String> omitted = Evidences.omitted(c.disk());
        if (omitted.isPresent()) {
            throw usage("disk " + c.disk().target() + " of " + file + ": " + omitted.get()
                    + "; nothing to simulate");
        }
        return new Located(c, domain, settings);
    }

    /** A workload's write rate as it is defined: {@code 4 MB/s}. */
    private static String rateOf(Workload w) {
        return EvidenceReport.rate(w.writeRate());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The lines above the table: what is simulated, under which workload, for which guest. */
    private static List<String> about(String subject, Scenario s, Prediction current) {
        Workload w = s.workload();
        return List.of("simulated: " + subject, "workload " + w.id() + ": " + w.summary(),
                "guest " + (s.guestFlushes() ? "flushes" : "does not flush") + "; "
                        + (s.qcow2() ? "qcow2" : "raw") + (s.preallocated() ? ", preallocated" : ", sparse")
                        + "; current mode " + current.cache());
    }

    /**
     * The table: the p95 loss per failure kind, the write and read speed relative to the current
     * mode, and the duplicated host cache, per mode; the MB/s only when a host profile's costs
     * from {@code probe --bench} give them a measured scale (the built-in scale is assumed, and
     * only its ratios are claimed); then what the figures rest on.
     */
    static String table(String subject, Scenario s, Prediction current, List<Prediction> modes,
                        List<String> assumptions, Evidence.Basis basis) {
        StringBuilder out = new StringBuilder();
        Workload w = s.workload();
        boolean measured = basis.measured();
        boolean inRam = basis.inHostMemory() != null;
        out.append("simulated: ").append(subject).append('\n');
        out.append("workload ").append(w.id()).append(": ").append(w.summary()).append('\n');
        out.append("guest ").append(s.guestFlushes() ? "flushes" : "does not flush").append("; ")
                .append(s.qcow2() ? "qcow2" : "raw").append(s.preallocated() ? ", preallocated" : ", sparse")
                .append("; current mode ").append(current.cache()).append('\n');
        String speeds = measured ? String.format(Locale.ROOT, " %10s %10s", "write MB/s", "read MB/s")
                : "";
        out.append(String.format(Locale.ROOT, "%n  %-13s %-30s%s %8s %8s %10s%n", "mode",
                "lost p95: qemu / host / power", speeds, "writes", "reads", "host dup"));
        boolean zero = false;
        for (Prediction p : modes) {
            String lost = EvidenceReport.bytes(p.loss().qemuCrash().p95()) + " / "
                    + (inRam ? "all / all" : EvidenceReport.bytes(p.loss().hostCrash().p95())
                    + " / " + EvidenceReport.bytes(p.loss().powerLoss().p95()));
            zero |= !inRam && (p.loss().hostCrash().p95() == 0 || p.loss().powerLoss().p95() == 0);
            String mbps = measured ? String.format(Locale.ROOT, " %10s %10s",
                    inRam ? "-" : EvidenceReport.sig(p.writeMBps()), inRam ? "-" : EvidenceReport.sig(p.readMBps()))
                    : "";
            out.append(String.format(Locale.ROOT, "%s %-13s %-30s%s %8s %8s %10s%n",
                    p.cache().equals(current.cache()) ? "*" : " ", p.cache(), lost, mbps,
                    inRam ? "-" : EvidenceReport.ratio(p.writeMBps() / current.writeMBps()),
                    inRam ? "-" : EvidenceReport.ratio(p.readMBps() / current.readMBps()),
                    EvidenceReport.bytes(p.hostCacheDuplicateBytes())));
        }
        out.append("\n  * current; writes and reads relative to it; lost: acknowledged bytes a failure loses\n");
        if (!inRam) {
            // Where each mode's largest p95 comes from, as the lint's loss line says it.
            for (Prediction p : modes) {
                long most = Math.max(p.loss().qemuCrash().p95(),
                        Math.max(p.loss().hostCrash().p95(), p.loss().powerLoss().p95()));
                var worst = p.loss().powerLoss().p95() == most ? p.loss().powerLoss()
                        : p.loss().hostCrash().p95() == most ? p.loss().hostCrash() : p.loss().qemuCrash();
                String source = EvidenceReport.lossSource(worst, basis);
                if (source != null) {
                    out.append("  ").append(p.cache()).append(": ").append(EvidenceReport.bytes(most))
                            .append(source.startsWith("an upper bound: ") ? ", " : ": ").append(source).append('\n');
                }
            }
        }
        if (inRam) {
            out.append("  all: a host crash or power loss loses everything on the disk in every mode: ")
                    .append(basis.inHostMemory()).append(basis.inHostMemoryAssumed()
                            ? " (assumed: no host profile says)" : "")
                    .append(", which keeps files in host RAM only\n");
            out.append("  -: speeds not modelled for an image in host RAM (the model prices a device's"
                    + " writes and flushes; there is no device, and fsync does nothing)\n");
        } else if (zero && basis.flushes() == Evidence.StorageFlushes.UNKNOWN) {
            out.append("  0 B lost holds only if the host storage honours flushes (no host profile says it does)\n");
        }
        if (basis.hostLeavesBytes() >= 0 && !inRam && modes.stream()
                .anyMatch(p -> p.hostCacheDuplicateBytes() >= basis.hostLeavesBytes() && p.hostCacheDuplicateBytes() > 0)) {
            out.append("  host dup at most ").append(basis.hostLeaves()).append('\n');
        }
        if (basis.diskBytes() >= 0) {
            out.append("  losses and host dup at most ").append(EvidenceReport.bytes(basis.diskBytes()))
                    .append(": ").append(basis.diskSource()).append('\n');
        }
        if (!inRam) {
            out.append(measured ? "  MB/s at the scale measured on " + basis.measuredOn() + " (it states every"
                    + " device cost, as probe --bench writes them), the workload's access pattern run as fast"
                    + " as it goes; the losses take its offered " + rateOf(w) + "\n"
                    : "  speeds are ratios: the model's absolute scale is assumed (probe --bench measures a host's)\n");
        }
        if (!assumptions.isEmpty()) {
            out.append("assumed: ").append(String.join("; ", assumptions)).append('\n');
        }
        return out.toString();
    }
}
