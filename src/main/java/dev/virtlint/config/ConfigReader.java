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
import dev.virtlint.rules.DeclarativeRule;
import dev.virtlint.rules.RuleReader;
import dev.virtlint.rules.Severity;
import dev.virtlint.sim.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads one {@code .virtlint.yaml} into a {@link Config}. It checks every key and the type of
 * every value, reads the custom rules and host profiles the file names, and refuses a path that
 * leads out of the file's directory tree; each mistake is a {@link YamlException} at the line and
 * column of the node that is wrong. Keys are read in a fixed order, custom rules first (the other
 * keys name their ids), so a file with several mistakes always reports the same one.
 *
 * <pre>
 * rules:                        # on, off, or a severity that replaces the default
 *   implicit-cache-mode: off
 *   double-caching: info
 * per-path-ignores:             # rules not run on files matching a glob ("all" for every rule)
 *   "legacy/**": [double-caching]
 * scratch:                      # disks that may keep cache='unsafe': globs on disk source paths,
 *   - /var/lib/ci/**            # every disk of domains by name glob, or of files by path glob
 *   - {domain: "ci-runner-*"}
 *   - {files: "ci/**"}
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
 * exclude: [".*"]               # globs a directory walk never reads (this is the default list)
 * extend-exclude: [vendor/]     # more of them, kept with the default list
 * force-exclude: false          # true: files named on the command line too (pre-commit)
 * </pre>
 *
 * Globs have {@code *}, {@code ?}, {@code **}, {@code [a-z]}/{@code [!a-z]} and {@code {a,b}}
 * ({@link Glob}); a malformed one is an error at its node.
 */
final class ConfigReader {

    private static final Set<String> KEYS = Set.of("rules", "per-path-ignores", "scratch", "guests",
            "workloads", "hosts", "policy", "custom-rules", "exclude", "extend-exclude",
            "force-exclude");

    /** The configuration's directory, absolute and normalized: paths in it are relative to it. */
    private final Path dir;
    /** How errors name the configuration. */
    private final String label;
    private final Config.Builder out;

    private ConfigReader(Path file, String label) {
        this.dir = file.toAbsolutePath().normalize().getParent();
        this.label = label;
        this.out = new Config.Builder(file, label);
    }

    /** Reads a configuration file; {@code label} is how errors name it. */
    static Config read(Path file, String label) throws YamlException {
        YNode root;
        try {
            root = Yaml.read(file, label);
        } catch (IOException e) {
            throw new YamlException(label, 1, 1, "cannot read the configuration: "
                    + e.getMessage());
        }
        ConfigReader r = new ConfigReader(file, label);
        Map<String, YNode> m = root.map(KEYS);
        if (m.containsKey("custom-rules")) {
            r.customRules(m.get("custom-rules"));
        }
        if (m.containsKey("rules")) {
            r.rules(m.get("rules"));
        }
        if (m.containsKey("per-path-ignores")) {
            r.perPathIgnores(m.get("per-path-ignores"));
        }
        if (m.containsKey("scratch")) {
            for (YNode g : m.get("scratch").list()) {
                r.scratch(g);
            }
        }
        if (m.containsKey("guests")) {
            for (YNode g : m.get("guests").list()) {
                r.guest(g);
            }
        }
        if (m.containsKey("workloads")) {
            for (YNode w : m.get("workloads").list()) {
                workload(w, r.out);
            }
        }
        if (m.containsKey("hosts")) {
            for (YNode h : m.get("hosts").list()) {
                r.host(h);
            }
        }
        if (m.containsKey("policy")) {
            r.out.policy(policy(m.get("policy")));
        }
        if (m.containsKey("exclude")) {
            r.out.exclude(globs(m.get("exclude")));
        }
        if (m.containsKey("extend-exclude")) {
            r.out.extendExclude(globs(m.get("extend-exclude")));
        }
        if (m.containsKey("force-exclude")) {
            r.out.forceExclude(m.get("force-exclude").bool());
        }
        return r.out.build();
    }

    /** {@code custom-rules:}: each entry a rule file or a directory of them. */
    private void customRules(YNode list) throws YamlException {
        for (YNode entry : list.list()) {
            for (Path ruleFile : ruleFiles(entry)) {
                DeclarativeRule rule = loadRule(ruleFile, entry);
                if (out.hasRule(rule.id())) {
                    throw entry.error("rule " + rule.id() + " in " + rule.file()
                            + " has the id of a rule that is already defined");
                }
                out.addRule(rule);
            }
        }
    }

    /** {@code rules:}: each known rule on, off, or at another severity. */
    private void rules(YNode node) throws YamlException {
        for (Map.Entry<String, YNode> e : node.map().entrySet()) {
            String id = e.getKey();
            if (!out.hasRule(id)) {
                throw node.keyNode(id).error("unknown rule '" + id + "'"
                        + dev.virtlint.parse.Suggestions.didYouMean(id, out.ruleIds())
                        + " (virtlint rules lists them)");
            }
            String value = e.getValue().string();
            switch (value) {
                case "on", "true" -> out.enable(id, true);
                case "off", "false" -> out.enable(id, false);
                default -> out.severity(id, Severity.byId(value).orElseThrow(() -> e.getValue()
                        .error("rule " + id + ": expected on, off, error, warning or info, found '"
                                + value + "'")));
            }
        }
    }

    /** {@code per-path-ignores:}: a file glob, and the rule ids (or {@code all}) not run there. */
    private void perPathIgnores(YNode node) throws YamlException {
        for (Map.Entry<String, YNode> e : node.map().entrySet()) {
            Set<String> ruleIds = new LinkedHashSet<>();
            for (YNode r : e.getValue().list()) {
                String id = r.string();
                if (!id.equals("all") && !out.hasRule(id)) {
                    throw r.error("unknown rule '" + id + "'"
                            + dev.virtlint.parse.Suggestions.didYouMean(id, out.ruleIds())
                            + " (virtlint rules lists them; \"all\" means every rule)");
                }
                ruleIds.add(id);
            }
            out.ignore(relative(node.keyNode(e.getKey()), e.getKey()), ruleIds);
        }
    }

    private static Glob glob(YNode where, String text) throws YamlException {
        if (text.isBlank()) {
            throw where.error("empty pattern");
        }
        try {
            return Glob.path(text);
        } catch (Glob.Invalid e) {
            throw where.error(e.getMessage());
        }
    }

    /**
     * A glob on files, relative to the configuration's directory (excludes, per-path-ignores,
     * scratch files:, hosts paths:): one written as an absolute path or reaching above that
     * directory ({@code ..}) would match no file, so it is refused at its node rather than left to
     * match nothing.
     */
    private static Glob relative(YNode where, String text) throws YamlException {
        String g = text.startsWith("./") ? text.substring(2) : text;
        if (g.startsWith("/")) {
            throw where.error("pattern '" + text + "' is an absolute path: file patterns are relative"
                    + " to the configuration's directory (write vms/*.xml, not /srv/vms/*.xml)");
        }
        if (g.equals("..") || g.startsWith("../") || g.contains("/../") || g.endsWith("/..")) {
            throw where.error("pattern '" + text + "' reaches above the configuration's directory"
                    + " (..): file patterns match only what is under it");
        }
        return glob(where, text);
    }

    /** A glob on names (a domain's), refused at its node when malformed. */
    private static Glob name(YNode where, String text) throws YamlException {
        if (text.isBlank()) {
            throw where.error("empty pattern");
        }
        try {
            return Glob.name(text);
        } catch (Glob.Invalid e) {
            throw where.error(e.getMessage());
        }
    }

    /** A list of path globs ({@code exclude:}, {@code extend-exclude:}); empty is allowed. */
    private static List<Glob> globs(YNode list) throws YamlException {
        List<Glob> out = new ArrayList<>();
        for (YNode g : list.list()) {
            out.add(relative(g, g.string()));
        }
        return out;
    }

    /**
     * A {@code scratch:} entry: a glob on disk source paths, or {@code {domain: GLOB}} (every disk
     * of the domains so named) or {@code {files: GLOB}} (every disk of the linted files the glob
     * matches, relative to the configuration's directory).
     */
    private void scratch(YNode g) throws YamlException {
        if (!g.isMap()) {
            out.scratch(glob(g, g.string()));
            return;
        }
        g.map(Set.of("domain", "files"));
        Optional<YNode> domain = g.get("domain");
        Optional<YNode> files = g.get("files");
        if (domain.isPresent() == files.isPresent()) {
            throw g.error("a scratch entry is a glob on disk source paths, {domain: GLOB} or"
                    + " {files: GLOB}");
        }
        if (domain.isPresent()) {
            out.scratchDomains(name(domain.get(), domain.get().string()));
        } else {
            out.scratchFiles(relative(files.get(), files.get().string()));
        }
    }

    /** A {@code guests:} entry: a domain name glob with either {@code flushes:} or {@code os:}. */
    private void guest(YNode g) throws YamlException {
        g.map(Set.of("domain", "flushes", "os", "reason"));
        String domain = g.require("domain").string();
        Optional<YNode> flushes = g.get("flushes");
        Optional<YNode> os = g.get("os");
        if (flushes.isPresent() == os.isPresent()) {
            throw g.error("a guests entry gives either flushes: or os:");
        }
        if (flushes.isPresent()) {
            String f = flushes.get().string();
            Flushes value = Flushes.byId(f).orElseThrow(() -> flushes.get().error(
                    "flushes must be yes, no or cond, found '" + f + "'"));
            String reason = g.get("reason").isPresent() ? g.require("reason").string()
                    : label + " says flushes=" + value.id() + " for domains named " + domain;
            out.guest(name(g.require("domain"), domain), new GuestFact(value, reason, "config"));
            return;
        }
        String id = os.get().string();
        // Checked on a disk of unknown bus, which the table's "*" rows answer for every family;
        // a lint looks the id up for each disk's bus (Config.guest).
        if (GuestTable.builtIn().lookup(id).isEmpty()) {
            throw os.get().error("the guest table (rules/guest-os.tsv) does not know '" + id
                    + "'; give flushes: instead");
        }
        out.guestOs(name(g.require("domain"), domain), id);
    }

    /** A {@code workloads:} entry: a domain name glob and a workload id. */
    private static void workload(YNode w, Config.Builder out) throws YamlException {
        w.map(Set.of("domain", "workload"));
        YNode id = w.require("workload");
        String name = id.string();
        Workload workload = Workload.byId(name).orElseThrow(() -> id.error("unknown workload '"
                + name + "'; expected one of " + Workload.ids()));
        YNode domain = w.require("domain");
        out.workload(name(domain, domain.string()), workload);
    }

    /** A {@code hosts:} entry: file globs and the host profile for them. */
    private void host(YNode h) throws YamlException {
        h.map(Set.of("paths", "profile"));
        List<Glob> paths = new ArrayList<>();
        for (YNode p : h.require("paths").list()) {
            paths.add(relative(p, p.string()));
        }
        YNode profile = h.require("profile");
        out.host(paths, profile(profile));
    }

    private static Advisor.Policy policy(YNode p) throws YamlException {
        p.map(Set.of("host-page-cache"));
        YNode hpc = p.require("host-page-cache");
        return switch (hpc.string()) {
            case "avoid" -> Advisor.Policy.AVOID;
            case "allow" -> Advisor.Policy.ALLOW;
            default -> throw hpc.error("host-page-cache must be avoid or allow, found '"
                    + hpc.string() + "'");
        };
    }

    private HostFacts profile(YNode where) throws YamlException {
        Path path = contained(where, "host profile");
        if (!Files.isRegularFile(path)) {
            throw where.error("host profile " + where.string() + " not found (relative to " + label
                    + ")");
        }
        try {
            return HostProfile.load(path, Config.labelFor(path));
        } catch (IOException e) {
            throw where.error("cannot read host profile " + where.string() + ": " + e.getMessage());
        }
    }

    private List<Path> ruleFiles(YNode entry) throws YamlException {
        Path path = contained(entry, "custom rule file");
        if (Files.isDirectory(path)) {
            List<Path> listed;
            try (Stream<Path> files = Files.list(path)) {
                listed = files.filter(p -> p.getFileName().toString().endsWith(".rule.yaml"))
                        .sorted().toList();
            } catch (IOException e) {
                throw entry.error("cannot list " + entry.string() + ": " + e.getMessage());
            }
            for (Path p : listed) {
                // A link in the directory may point out of the tree too.
                if (!inside(p, dir)) {
                    throw entry.error("custom rule file " + path.relativize(p) + " in "
                            + entry.string() + " leads outside the directory of " + label
                            + "; a configuration names only files in its own directory tree");
                }
            }
            return listed;
        }
        if (!Files.isRegularFile(path)) {
            throw entry.error("custom rule file " + entry.string() + " not found (relative to "
                    + label + ")");
        }
        return List.of(path);
    }

    /**
     * A path named in a configuration, refused unless it stays inside the configuration's
     * directory tree once symbolic links are resolved: a pull request's {@code .virtlint.yaml} must
     * not make CI read /etc/shadow or a credentials file. Files given on the command line are not
     * checked.
     */
    private Path contained(YNode where, String what) throws YamlException {
        Path path = dir.resolve(where.string()).normalize();
        if (Files.exists(path) && !inside(path, dir) || !path.startsWith(dir)) {
            throw where.error(what + " " + where.string() + " is outside the directory of " + label
                    + "; a configuration names only files in its own directory tree (give others on"
                    + " the command line)");
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
            return RuleReader.load(path, Config.labelFor(path));
        } catch (IOException e) {
            throw entry.error("cannot read custom rule " + entry.string() + ": " + e.getMessage());
        }
    }
}
