package dev.virtlint.config;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.Flushes;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.GuestTable;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.facts.HostProfile;
import dev.virtlint.parse.Yaml.YNode;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.parse.Yaml;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.DeclarativeRule;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.RuleReader;
import dev.virtlint.rules.Severity;
import dev.virtlint.sim.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One {@code .virtlint.yaml}. Paths in it are relative to its directory.
 *
 * <pre>
 * rules:                        # on, off, or a severity that replaces the default
 *   implicit-cache-mode: off
 *   double-caching: info
 * per-path-ignores:             # rules not run on files matching a glob ("all" for every rule)
 *   "legacy/**": [double-caching]
 * scratch:                      # globs on disk source paths: these disks may keep cache='unsafe'
 *   - /var/lib/ci/**
 * guests:                       # by domain name glob: what the guest does, or which OS it is
 *   - {domain: "rhel5-*", flushes: no, reason: "ext3 mounted with barrier=0"}
 *   - {domain: "win2k3-*", os: "http://microsoft.com/win/2k3"}
 * workloads:                    # by domain name glob: what the simulator runs (default: database,
 *   - {domain: "ci-*", workload: scratch-test}   # scratch-test for scratch disks)
 * hosts:                        # host profile per file glob (first match wins)
 *   - {paths: ["node1/**"], profile: hosts/node1.yaml}
 * policy:
 *   host-page-cache: avoid      # or allow
 * custom-rules: [rules/]        # rule files, or directories of *.rule.yaml
 * </pre>
 */
public final class Config {

    /** The file name looked for in each directory from a linted file upward. */
    public static final String FILE_NAME = ".virtlint.yaml";

    private static final Set<String> KEYS = Set.of("rules", "per-path-ignores", "scratch", "guests", "workloads",
            "hosts", "policy", "custom-rules");

    record PathIgnore(Glob glob, Set<String> rules) {
    }

    record GuestOverride(Glob domain, GuestFact fact) {
    }

    record HostEntry(List<Glob> paths, HostFacts host) {
    }

    record WorkloadChoice(Glob domain, Workload workload) {
    }

    private final Path file;
    private final Path dir;
    private final String label;
    private final Map<String, Boolean> enabled;
    private final Map<String, Severity> severities;
    private final List<PathIgnore> ignores;
    private final List<Glob> scratch;
    private final List<GuestOverride> guests;
    private final List<WorkloadChoice> workloads;
    private final List<HostEntry> hosts;
    private final Advisor.Policy policy;
    private final List<Rule> rules;

    private Config(Path file, String label, Map<String, Boolean> enabled, Map<String, Severity> severities,
                   List<PathIgnore> ignores, List<Glob> scratch, List<GuestOverride> guests,
                   List<WorkloadChoice> workloads, List<HostEntry> hosts, Advisor.Policy policy, List<Rule> rules) {
        this.file = file;
        this.dir = file == null ? null : file.toAbsolutePath().normalize().getParent();
        this.label = label;
        this.enabled = enabled;
        this.severities = severities;
        this.ignores = ignores;
        this.scratch = scratch;
        this.guests = guests;
        this.workloads = workloads;
        this.hosts = hosts;
        this.policy = policy;
        this.rules = rules;
    }

    /** No configuration file: built-in rules and defaults. */
    public static Config none() {
        return new Config(null, null, Map.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                Advisor.Policy.AVOID, Catalogue.rules());
    }

    /** {@link #find(Path, java.util.function.Consumer)} with warnings dropped. */
    public static Optional<Path> find(Path dir) {
        return find(dir, w -> { });
    }

    /**
     * The nearest {@value #FILE_NAME} in {@code dir} or a directory above it. The walk stops at the
     * repository root, the first directory holding {@code .git} (a directory, or a file in a worktree
     * or submodule). Outside any repository it looks at {@code dir} and then at parents only while
     * they belong to the user running virtlint. Like git's safe.directory, a file owned by another
     * user than this one or root is ignored with a warning: in a sticky /tmp anyone may plant one.
     */
    public static Optional<Path> find(Path dir, java.util.function.Consumer<String> warn) {
        Path start = dir.toAbsolutePath().normalize();
        Path root = null;
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                root = d;
                break;
            }
        }
        int me = uid(Path.of("/proc/self"));
        for (Path d = start; d != null; d = d.getParent()) {
            if (root == null && !d.equals(start) && uid(d) != me) {
                break;
            }
            Path candidate = d.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                int owner = uid(candidate);
                if (owner == me || owner == 0) {
                    return Optional.of(candidate);
                }
                warn.accept(candidate + ": warning: ignored: owned by user " + owner + ", not by " + me
                        + " (who runs virtlint) or root");
            }
            if (d.equals(root)) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The owner's uid, -1 when unknown; /proc/self belongs to the process's effective uid. */
    private static int uid(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** Reads a configuration file; {@code label} is how errors name it. */
    public static Config load(Path file, String label) throws YamlException {
        YNode root;
        try {
            root = Yaml.read(file, label);
        } catch (IOException e) {
            throw new YamlException(label, 1, 1, "cannot read the configuration: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        Map<String, YNode> m = root.map(KEYS);

        List<Rule> rules = new ArrayList<>(Catalogue.rules());
        if (m.containsKey("custom-rules")) {
            for (YNode entry : m.get("custom-rules").list()) {
                for (Path ruleFile : ruleFiles(entry, dir, label)) {
                    DeclarativeRule rule = loadRule(ruleFile, entry);
                    if (rules.stream().anyMatch(r -> r.id().equals(rule.id()))) {
                        throw entry.error("rule " + rule.id() + " in " + rule.file()
                                + " has the id of a rule that is already defined");
                    }
                    rules.add(rule);
                }
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        rules.forEach(r -> ids.add(r.id()));

        Map<String, Boolean> enabled = new HashMap<>();
        Map<String, Severity> severities = new HashMap<>();
        if (m.containsKey("rules")) {
            YNode node = m.get("rules");
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                String id = e.getKey();
                if (!ids.contains(id)) {
                    throw node.keyNode(id).error("unknown rule '" + id + "' (virtlint rules lists them)");
                }
                String value = e.getValue().string();
                switch (value) {
                    case "on", "true" -> enabled.put(id, true);
                    case "off", "false" -> enabled.put(id, false);
                    default -> severities.put(id, Severity.byId(value).orElseThrow(() -> e.getValue().error(
                            "rule " + id + ": expected on, off, error, warning or info, found '" + value + "'")));
                }
            }
        }

        List<PathIgnore> ignores = new ArrayList<>();
        if (m.containsKey("per-path-ignores")) {
            YNode node = m.get("per-path-ignores");
            for (Map.Entry<String, YNode> e : node.map().entrySet()) {
                Set<String> ruleIds = new LinkedHashSet<>();
                for (YNode r : e.getValue().list()) {
                    String id = r.string();
                    if (!id.equals("all") && !ids.contains(id)) {
                        throw r.error("unknown rule '" + id + "' (virtlint rules lists them; \"all\" means every rule)");
                    }
                    ruleIds.add(id);
                }
                ignores.add(new PathIgnore(glob(node.keyNode(e.getKey()), e.getKey()), ruleIds));
            }
        }

        List<Glob> scratch = new ArrayList<>();
        if (m.containsKey("scratch")) {
            for (YNode g : m.get("scratch").list()) {
                scratch.add(glob(g, g.string()));
            }
        }

        List<GuestOverride> guests = new ArrayList<>();
        if (m.containsKey("guests")) {
            for (YNode g : m.get("guests").list()) {
                guests.add(guest(g, label));
            }
        }

        List<WorkloadChoice> workloads = new ArrayList<>();
        if (m.containsKey("workloads")) {
            for (YNode w : m.get("workloads").list()) {
                w.map(Set.of("domain", "workload"));
                YNode id = w.require("workload");
                String name = id.string();
                Workload workload = Workload.byId(name).orElseThrow(() -> id.error("unknown workload '" + name
                        + "'; expected one of " + Workload.ids()));
                workloads.add(new WorkloadChoice(Glob.name(w.require("domain").string()), workload));
            }
        }

        List<HostEntry> hosts = new ArrayList<>();
        if (m.containsKey("hosts")) {
            for (YNode h : m.get("hosts").list()) {
                h.map(Set.of("paths", "profile"));
                List<Glob> paths = new ArrayList<>();
                for (YNode p : h.require("paths").list()) {
                    paths.add(glob(p, p.string()));
                }
                YNode profile = h.require("profile");
                hosts.add(new HostEntry(paths, profile(profile, dir, label)));
            }
        }

        Advisor.Policy policy = Advisor.Policy.AVOID;
        if (m.containsKey("policy")) {
            YNode p = m.get("policy");
            p.map(Set.of("host-page-cache"));
            YNode hpc = p.require("host-page-cache");
            policy = switch (hpc.string()) {
                case "avoid" -> Advisor.Policy.AVOID;
                case "allow" -> Advisor.Policy.ALLOW;
                default -> throw hpc.error("host-page-cache must be avoid or allow, found '" + hpc.string() + "'");
            };
        }
        return new Config(file, label, Map.copyOf(enabled), Map.copyOf(severities), List.copyOf(ignores),
                List.copyOf(scratch), List.copyOf(guests), List.copyOf(workloads), List.copyOf(hosts), policy,
                List.copyOf(rules));
    }

    private static Glob glob(YNode where, String text) throws YamlException {
        if (text.isBlank()) {
            throw where.error("empty pattern");
        }
        return Glob.path(text);
    }

    private static GuestOverride guest(YNode g, String label) throws YamlException {
        g.map(Set.of("domain", "flushes", "os", "reason"));
        String domain = g.require("domain").string();
        Optional<YNode> flushes = g.get("flushes");
        Optional<YNode> os = g.get("os");
        if (flushes.isPresent() == os.isPresent()) {
            throw g.error("a guests entry gives either flushes: or os:");
        }
        GuestFact fact;
        if (flushes.isPresent()) {
            String f = flushes.get().string();
            Flushes value = Flushes.byId(f).orElseThrow(() -> flushes.get().error(
                    "flushes must be yes, no or cond, found '" + f + "'"));
            String reason = g.get("reason").isPresent() ? g.require("reason").string()
                    : label + " says flushes=" + value.id() + " for domains named " + domain;
            fact = new GuestFact(value, reason, "config");
        } else {
            String id = os.get().string();
            Optional<GuestFact> known = GuestTable.builtIn().lookup(id);
            if (known.isEmpty()) {
                throw os.get().error("the guest table (rules/guest-os.tsv) does not know '" + id
                        + "'; give flushes: instead");
            }
            fact = new GuestFact(known.get().flushes(), known.get().reason() + " (" + label + " names the OS " + id
                    + ")", "config");
        }
        return new GuestOverride(Glob.name(domain), fact);
    }

    private static HostFacts profile(YNode where, Path dir, String label) throws YamlException {
        Path path = contained(where, dir, label, "host profile");
        if (!Files.isRegularFile(path)) {
            throw where.error("host profile " + where.string() + " not found (relative to " + label + ")");
        }
        try {
            return HostProfile.load(path, labelFor(path));
        } catch (IOException e) {
            throw where.error("cannot read host profile " + where.string() + ": " + e.getMessage());
        }
    }

    private static List<Path> ruleFiles(YNode entry, Path dir, String label) throws YamlException {
        Path path = contained(entry, dir, label, "custom rule file");
        if (Files.isDirectory(path)) {
            List<Path> listed;
            try (Stream<Path> files = Files.list(path)) {
                listed = files.filter(p -> p.getFileName().toString().endsWith(".rule.yaml")).sorted().toList();
            } catch (IOException e) {
                throw entry.error("cannot list " + entry.string() + ": " + e.getMessage());
            }
            for (Path p : listed) {
                // A link in the directory may point out of the tree too.
                if (!inside(p, dir)) {
                    throw entry.error("custom rule file " + path.relativize(p) + " in " + entry.string()
                            + " leads outside the directory of " + label + "; a configuration names only files"
                            + " in its own directory tree");
                }
            }
            return listed;
        }
        if (!Files.isRegularFile(path)) {
            throw entry.error("custom rule file " + entry.string() + " not found (relative to " + label + ")");
        }
        return List.of(path);
    }

    /**
     * A path named in a configuration, refused unless it stays inside the configuration's directory
     * tree once symbolic links are resolved: a pull request's {@code .virtlint.yaml} must not make CI
     * read /etc/shadow or a credentials file. Files given on the command line are not checked.
     */
    private static Path contained(YNode where, Path dir, String label, String what) throws YamlException {
        Path path = dir.resolve(where.string()).normalize();
        if (Files.exists(path) && !inside(path, dir) || !path.startsWith(dir)) {
            throw where.error(what + " " + where.string() + " is outside the directory of " + label
                    + "; a configuration names only files in its own directory tree (give others on the"
                    + " command line)");
        }
        return path;
    }

    private static boolean inside(Path path, Path dir) {
        try {
            return path.toRealPath().startsWith(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static DeclarativeRule loadRule(Path path, YNode entry) throws YamlException {
        try {
            return RuleReader.load(path, labelFor(path));
        } catch (IOException e) {
            throw entry.error("cannot read custom rule " + entry.string() + ": " + e.getMessage());
        }
    }

    /** How a file is named in messages: relative to the working directory when under it. */
    public static String labelFor(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    /**
     * The settings for linting one file: the configuration, with what the command line says on top.
     *
     * @param input  the file, or null for standard input and {@code --drive} strings
     * @param select {@code --select}
     * @param ignore {@code --ignore}
     * @param host   {@code --host}, which wins over {@code hosts:}; null when not given
     */
    public Linter.Settings settingsFor(Path input, Set<String> select, Set<String> ignore, HostFacts host) {
        Set<String> skip = new LinkedHashSet<>(ignore);
        skip.addAll(ignoredFor(input));
        HostFacts facts = host != null ? host : hostFor(input).orElse(HostFacts.defaults());
        return new Linter.Settings(select, skip, policy, facts, rules, severities, disabled(), this::scratch,
                this::guest, this::workload);
    }

    /** The configuration file, empty for {@link #none()}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public String label() {
        return label;
    }

    /** Built-in rules and this configuration's custom rules, built-in first. */
    public List<Rule> rules() {
        return rules;
    }

    public Advisor.Policy policy() {
        return policy;
    }

    /** Rule ids the configuration turns off. */
    public Set<String> disabled() {
        Set<String> off = new LinkedHashSet<>();
        enabled.forEach((id, on) -> {
            if (!on) {
                off.add(id);
            }
        });
        return off;
    }

    public Map<String, Severity> severities() {
        return severities;
    }

    /** Rule ids not to run on a file ({@code all} for every rule), from {@code per-path-ignores}. */
    public Set<String> ignoredFor(Path input) {
        Set<String> out = new LinkedHashSet<>();
        String rel = relative(input);
        if (rel == null) {
            return out;
        }
        for (PathIgnore i : ignores) {
            if (i.glob().matches(rel)) {
                out.addAll(i.rules());
            }
        }
        if (out.contains("all")) {
            rules.forEach(r -> out.add(r.id()));
        }
        return out;
    }

    /** The host profile for a file, from {@code hosts:}; empty when no entry matches. */
    public Optional<HostFacts> hostFor(Path input) {
        String rel = relative(input);
        if (rel == null) {
            return Optional.empty();
        }
        for (HostEntry h : hosts) {
            if (h.paths().stream().anyMatch(g -> g.matches(rel))) {
                return Optional.of(h.host());
            }
        }
        return Optional.empty();
    }

    /** Whether a disk source path is declared scratch. */
    public boolean scratch(String sourcePath) {
        return scratch.stream().anyMatch(g -> g.matches(sourcePath));
    }

    /** What the configuration says about the guest of a domain with this name, or null. */
    public GuestFact guest(String domainName) {
        for (GuestOverride g : guests) {
            if (g.domain().matches(domainName)) {
                return g.fact();
            }
        }
        return null;
    }

    /** The workload the configuration chooses for a domain with this name, or null. */
    public Workload workload(String domainName) {
        for (WorkloadChoice w : workloads) {
            if (w.domain().matches(domainName)) {
                return w.workload();
            }
        }
        return null;
    }

    /** The file's path relative to the configuration's directory, with {@code /}; null when outside it. */
    private String relative(Path input) {
        if (dir == null || input == null) {
            return null;
        }
        Path abs = input.toAbsolutePath().normalize();
        if (!abs.startsWith(dir)) {
            return null;
        }
        return dir.relativize(abs).toString().replace('\\', '/');
    }
}
