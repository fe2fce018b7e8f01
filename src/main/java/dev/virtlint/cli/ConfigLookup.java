package dev.virtlint.cli;

import dev.virtlint.config.Config;
import dev.virtlint.parse.Yaml.YamlException;
import dev.virtlint.facts.HostFacts;
import dev.virtlint.facts.HostProfile;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The configuration of each input: {@code --config}, else the nearest one upward, read once each. */
final class ConfigLookup {

    private final Config fixed;
    private final Map<Path, Config> byFile = new HashMap<>();
    private final Map<Path, Optional<Path>> byDir = new HashMap<>();

    private final java.util.function.Consumer<String> warn;

    /** Warnings (an ignored configuration) go to {@code err}, the command's standard error. */
    static ConfigLookup warningTo(Path explicit, java.io.PrintWriter err) throws YamlException {
        return new ConfigLookup(explicit, w -> {
            err.println("virtlint: " + w);
            err.flush();
        });
    }

    ConfigLookup(Path explicit, java.util.function.Consumer<String> warn) throws YamlException {
        this.warn = warn;
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new YamlException(explicit.toString(), 1, 1, "configuration file not found");
            }
            fixed = Config.load(explicit, Config.labelFor(explicit));
        } else {
            fixed = null;
        }
    }

    Config forInput(Path input) throws YamlException {
        if (fixed != null) {
            return fixed;
        }
        Path dir = input == null ? Path.of("").toAbsolutePath() : input.toAbsolutePath().normalize().getParent();
        Optional<Path> file = byDir.computeIfAbsent(dir, d -> Config.find(d, warn));
        if (file.isEmpty()) {
            return Config.none();
        }
        Config c = byFile.get(file.get());
        if (c == null) {
            c = Config.load(file.get(), Config.labelFor(file.get()));
            byFile.put(file.get(), c);
        }
        return c;
    }

    /**
     * Whether the configuration of a path leaves it out unread ({@code exclude:},
     * {@code extend-exclude:}, {@code force-exclude:}): asked of the same configurations, read
     * once, that then give the inputs their settings.
     */
    boolean excluded(Path path, boolean directory, boolean named) throws YamlException {
        Config c = forInput(path);
        return named ? c.excludesNamed(path, directory) : c.excludesWalked(path, directory);
    }

    /** The profile given by {@code --host}, or null when none was given. */
    static HostFacts hostProfile(Path host, CommandLine cl) throws IOException, YamlException {
        try {
            return hostProfile(host);
        } catch (UsageException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    static HostFacts hostProfile(Path host) throws IOException, YamlException, UsageException {
        if (host == null) {
            return null;
        }
        if (!Files.isRegularFile(host)) {
            throw new UsageException("host profile " + host + " not found");
        }
        return HostProfile.load(host, Config.labelFor(host));
    }
}
