package dev.virtlint.config;

import dev.virtlint.advise.Advisor;
import dev.virtlint.facts.GuestFact;
import dev.virtlint.facts.GuestTable;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.Rule;
import dev.virtlint.rules.Severity;
import dev.virtlint.sim.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one {@code .virtlint.yaml} says, as a lint asks it: which rules run and at which severity,
 * which are ignored for a file, the host profile of a file, and what it declares of disks, guests
 * and workloads. {@link ConfigReader} reads and checks the file (its keys are listed there);
 * {@link #none()} is the configuration of a tree without one. Paths are relative to the file's
 * directory.
 */
public final class Config {

    /** The file name looked for in each directory from a linted file upward. */
    public static final String FILE_NAME = ".virtlint.yaml";

    /**
     * What a directory walk leaves out unless {@code exclude:} says otherwise: hidden files and
     * directories ({@code .git}, {@code .venv}, an editor's backups), as the walk always did. Like
     * ruff's default {@code exclude} list (.git, .venv and other tool directories), {@code exclude:}
     * replaces it and {@code extend-exclude:} adds to it
     * (https://docs.astral.sh/ruff/settings/#exclude: "you'll typically want to use
     * extend-exclude to modify the excluded paths"). Not longer than that: a directory named
     * {@code target} or {@code build} may well hold domains (an iSCSI target's, a build's output
     * that is deployed).
     */
    public static final List<String> DEFAULT_EXCLUDE = List.of(".*");

    private static final List<Glob> DEFAULT_EXCLUDE_GLOBS =
            DEFAULT_EXCLUDE.stream().map(Glob::path).toList();

    record PathIgnore(Glob glob, Set<String> rules) {
    }

    /**
     * A {@code guests:} entry: either what the guest does ({@code fact}), or which OS it is
     * ({@code osId}, looked up in the guest table per disk bus, {@code label} naming the file).
     */
    record GuestOverride(Glob domain, GuestFact fact, String osId, String label) {
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
    private final List<Glob> scratchDomains;
    private final List<Glob> scratchFiles;
    private final List<GuestOverride> guests;
    private final List<WorkloadChoice> workloads;
    private final List<HostEntry> hosts;
    private final Advisor.Policy policy;
    private final List<Rule> rules;
    private final List<Glob> excludes;
    private final boolean forceExclude;

    private Config(Builder b) {
        this.file = b.file;
        this.dir = file == null ? null : file.toAbsolutePath().normalize().getParent();
        this.label = b.label;
        this.enabled = Map.copyOf(b.enabled);
        this.severities = Map.copyOf(b.severities);
        this.ignores = List.copyOf(b.ignores);
        this.scratch = List.copyOf(b.scratch);
        this.scratchDomains = List.copyOf(b.scratchDomains);
        this.scratchFiles = List.copyOf(b.scratchFiles);
        this.guests = List.copyOf(b.guests);
        this.workloads = List.copyOf(b.workloads);
        this.hosts = List.copyOf(b.hosts);
        this.policy = b.policy;
        this.rules = List.copyOf(b.rules);
        List<Glob> ex = new ArrayList<>(b.exclude != null ? b.exclude : DEFAULT_EXCLUDE_GLOBS);
        ex.addAll(b.extendExclude);
        this.excludes = List.copyOf(ex);
        this.forceExclude = b.forceExclude;
    }

    /**
     * What {@link ConfigReader} takes from a file, one entry at a time in the file's order; what it
     * is not told stays as without a file. {@link #build()} copies it into a {@link Config}.
     */
    static final class Builder {

        private final Path file;
        private final String label;
        private final List<Rule> rules = new ArrayList<>(Catalogue.rules());
        private final Map<String, Boolean> enabled = new HashMap<>();
        private final Map<String, Severity> severities = new HashMap<>();
        private final List<PathIgnore> ignores = new ArrayList<>();
        private final List<Glob> scratch = new ArrayList<>();
        private final List<Glob> scratchDomains = new ArrayList<>();
        private final List<Glob> scratchFiles = new ArrayList<>();
        private final List<GuestOverride> guests = new ArrayList<>();
        private final List<WorkloadChoice> workloads = new ArrayList<>();
        private final List<HostEntry> hosts = new ArrayList<>();
        private Advisor.Policy policy = Advisor.Policy.AVOID;
        /** {@code exclude:}, null when not given (the default list applies). */
        private List<Glob> exclude;
        private final List<Glob> extendExclude = new ArrayList<>();
        private boolean forceExclude;

        /** {@code file} is null for no file; {@code label} is how messages name it. */
        Builder(Path file, String label) {
            this.file = file;
            this.label = label;
        }

        /** The ids of the rules, built-in and added, in order (for suggestions). */
        List<String> ruleIds() {
            return rules.stream().map(Rule::id).toList();
        }

        /** Whether a rule, built-in or added, has this id. */
        boolean hasRule(String id) {
            for (Rule r : rules) {
                if (r.id().equals(id)) {
                    return true;
                }
            }
            return false;
        }

        /** A custom rule, after the built-in ones and those added before it. */
        void addRule(Rule rule) {
            rules.add(rule);
        }

        void enable(String id, boolean on) {
            enabled.put(id, on);
        }

        void severity(String id, Severity severity) {
            severities.put(id, severity);
        }

        void ignore(Glob files, Set<String> ruleIds) {
            ignores.add(new PathIgnore(files, ruleIds));
        }

        void scratch(Glob sourcePaths) {
            scratch.add(sourcePaths);
        }

        /** Every disk of the domains with a matching name is scratch. */
        void scratchDomains(Glob domainNames) {
            scratchDomains.add(domainNames);
        }

        /** Every disk of the files matching the glob (relative to the configuration) is scratch. */
        void scratchFiles(Glob files) {
            scratchFiles.add(files);
        }

        void guest(Glob domainNames, GuestFact fact) {
            guests.add(new GuestOverride(domainNames, fact, null, null));
        }

        /** The guests of the domains with a matching name run this OS (a libosinfo id). */
        void guestOs(Glob domainNames, String osId) {
            guests.add(new GuestOverride(domainNames, null, osId, label));
        }

        void workload(Glob domainNames, Workload workload) {
            workloads.add(new WorkloadChoice(domainNames, workload));
        }

        void host(List<Glob> files, HostFacts host) {
            hosts.add(new HostEntry(files, host));
        }

        void policy(Advisor.Policy policy) {
            this.policy = policy;
        }

        /** {@code exclude:}: these globs instead of {@link #DEFAULT_EXCLUDE}. */
        void exclude(List<Glob> globs) {
            exclude = List.copyOf(globs);
        }

        /** {@code extend-exclude:}: these globs besides those of {@code exclude:} or the default. */
        void extendExclude(List<Glob> globs) {
            extendExclude.addAll(globs);
        }

        void forceExclude(boolean on) {
            forceExclude = on;
        }

        Config build() {
            return new Config(this);
        }
    }

    /** No configuration file: built-in rules and defaults. */
    public static Config none() {
        return new Builder(null, null).build();
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
        return ConfigReader.read(file, label);
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
        boolean wholeFile = scratchFile(input);
        return new Linter.Settings(select, skip, policy, facts, rules, severities, disabled(),
                (domain, source) -> wholeFile || scratch(domain, source), this::guest,
                this::workload);
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

    /**
     * Whether a file or directory met in a directory walk is left out unread (a directory is not
     * walked): it matches a glob of {@code exclude:} (or the default list) or {@code
     * extend-exclude:}, on its path relative to this configuration's directory. Outside that
     * directory (a {@code --config} elsewhere, or no configuration) only globs without {@code /}
     * apply, to its name. A directory also matches a glob written for everything under it
     * ({@code legacy/}, {@code legacy/**}).
     */
    public boolean excludesWalked(Path path, boolean directory) {
        String rel = relative(path);
        if (rel != null && rel.isEmpty()) {
            return false;
        }
        Path last = path.getFileName();
        String name = last == null ? null : last.toString();
        for (Glob g : excludes) {
            if (rel != null ? g.matches(rel) || (directory && g.matches(rel + "/"))
                    : name != null && g.anySegment() && g.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a path named on the command line is left out: only with {@code force-exclude:
     * true}, when it or a directory above it, up to this configuration's directory, is
     * excluded as in a walk. A path outside that directory (a {@code --config} kept elsewhere, as
     * a pre-commit hook's {@code args: [--config, ci/virtlint.yaml]}) is checked as a walk checks
     * it, by the globs without {@code /}, on its name and on the name of each directory above it
     * up to the working directory (the path alone when it is not under the working directory).
     * Without it a path given by name is read whatever it matches, as ruff
     * does: its {@code --force-exclude} exists because pre-commit passes every changed file by
     * name (ruff issues 1220 and 4127, https://github.com/astral-sh/ruff/issues/1220).
     */
    public boolean excludesNamed(Path path, boolean directory) {
        if (!forceExclude) {
            return false;
        }
        Path abs = path.toAbsolutePath().normalize();
        Path top = this.dir;
        if (top == null || !abs.startsWith(top)) {
            Path cwd = Path.of("").toAbsolutePath().normalize();
            top = abs.startsWith(cwd) && !abs.equals(cwd) ? cwd : abs;
        }
        boolean dir = directory;
        for (Path p = abs; p != null && p.startsWith(top) && (p.equals(abs) || !p.equals(top));
                p = p.getParent()) {
            if (excludesWalked(p, dir)) {
                return true;
            }
            dir = true;
        }
        return false;
    }

    /** Whether a disk source path is declared scratch. */
    public boolean scratch(String sourcePath) {
        return scratch.stream().anyMatch(g -> g.matches(sourcePath));
    }

    /**
     * Whether a disk is declared scratch by its domain's name or its source path; either may be
     * null (no domain, no source path).
     */
    public boolean scratch(String domainName, String sourcePath) {
        for (Glob g : scratchDomains) {
            if (domainName != null && g.matches(domainName)) {
                return true;
            }
        }
        return sourcePath != null && scratch(sourcePath);
    }

    /** Whether every disk of this file is declared scratch ({@code scratch: - {files: GLOB}}). */
    public boolean scratchFile(Path input) {
        String rel = relative(input);
        if (rel == null) {
            return false;
        }
        for (Glob g : scratchFiles) {
            if (g.matches(rel)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the configuration says about the guest of a domain with this name, on a disk of this
     * bus (null when unknown), or null. An {@code os:} entry is looked up in the guest table for
     * the bus, since a row may apply to one bus only.
     */
    public GuestFact guest(String domainName, String bus) {
        for (GuestOverride g : guests) {
            if (g.domain().matches(domainName)) {
                if (g.fact() != null) {
                    return g.fact();
                }
                GuestFact known = GuestTable.builtIn().lookup(g.osId(), bus)
                        .orElseThrow(() -> new IllegalStateException("checked when read"));
                return new GuestFact(known.flushes(), known.reason() + " (" + g.label()
                        + " names the OS " + g.osId() + ")", "config", known.noFlushFeature(),
                        known.driverKnown());
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
