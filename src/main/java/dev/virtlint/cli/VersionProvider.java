package dev.virtlint.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest; {@code dev} when run from classes. */
final class VersionProvider implements IVersionProvider {

    static String version() {
        return Main.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"virtlint " + version()};
    }
}
