package dev.virtlint.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest; {@code dev} when run from classes. */
final class VersionProvider implements IVersionProvider {

    static String version() {
        String v = VirtLint.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"virtlint " + version()};
    }
}
