package dev.virtlint.cli;

import dev.virtlint.config.Config;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.lint.Input;
import dev.virtlint.parse.Suggestions;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.Linter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options that decide which rules run and with what facts, shared by {@code lint} and {@code fix}. */
final class RuleOptions {

    @Option(names = "--select", paramLabel = "RULE", split = ",",
            description = "Run only these rules (comma-separated ids).")
    List<String> select = new ArrayList<>();

    @Option(names = "--ignore", paramLabel = "RULE", split = ",",
            description = "Do not run these rules (comma-separated ids).")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Use this configuration for every input (default: the nearest " + Config.FILE_NAME
                    + " in the input's directory or above).")
    Path config;

    @Option(names = "--host", paramLabel = "FILE",
            description = "Host profile (YAML) for every input; wins over the configuration's hosts:.")
    Path host;

    /**
     * The settings of every input, read before any work starts: each input's configuration, the host
     * profile, and the rule ids of {@code --select}/{@code --ignore}, which must name a rule of the
     * catalogue or of a configuration in use.
     */
    PerInput settings(List<Input> inputs, ConfigLookup configs, CommandLine cl)
            throws IOException, YamlException {
        try {
            return settings(inputs, select, ignore, configs, host);
        } catch (UsageException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    /** The configurations of {@code --config}, or else of each input, warning on {@code cl}'s error stream. */
    ConfigLookup configs(CommandLine cl) throws YamlException {
        return ConfigLookup.warningTo(config, cl.getErr());
    }

    /**
     * {@link #settings(List, ConfigLookup, CommandLine)} without picocli, for the quick path of
     * {@code lint}.
     */
    static PerInput settings(List<Input> inputs, List<String> select, List<String> ignore,
                             ConfigLookup configs, Path host)
            throws IOException, YamlException, UsageException {
        HostFacts hostFacts = ConfigLookup.hostProfile(host);
        List<Config> used = new ArrayList<>();
        for (Input input : inputs) {
            used.add(configs.forInput(input.path()));
        }
        Set<String> known = new LinkedHashSet<>();
        Catalogue.rules().forEach(r -> known.add(r.id()));
        used.forEach(c -> c.rules().forEach(r -> known.add(r.id())));
        List<String> named = new ArrayList<>(select);
        named.addAll(ignore);
        for (String id : named) {
            if (!known.contains(id)) {
                throw new UsageException("unknown rule '" + id + "'" + Suggestions.didYouMean(id, known)
                        + " (virtlint rules lists them)");
            }
        }
        Map<Input, Linter.Settings> out = new IdentityHashMap<>();
        Map<Input, Linter.Settings> configured = select.isEmpty() && ignore.isEmpty() ? out
                : new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            out.put(input, used.get(i).settingsFor(input.path(), Set.copyOf(select), Set.copyOf(ignore), hostFacts));
            if (configured != out) {
                configured.put(input, used.get(i).settingsFor(input.path(), Set.of(), Set.of(), hostFacts));
            }
        }
        return new PerInput(out, configured);
    }

    /**
     * Each input's settings for this run ({@code run}), and as its configuration alone has them,
     * without {@code --select}/{@code --ignore} ({@code configured}: what a later plain
     * {@code lint} checks, which fix must not leave a suppression unused for).
     */
    record PerInput(Map<Input, Linter.Settings> run, Map<Input, Linter.Settings> configured) {
    }
}
