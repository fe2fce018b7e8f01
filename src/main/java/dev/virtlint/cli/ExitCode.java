package dev.virtlint.cli;

/** The exit codes of every virtlint command (design.md, CLI). */
final class ExitCode {

    /** Nothing at or above the failure threshold. */
    public static final int OK = 0;
    /** Findings at or above the threshold. */
    public static final int FINDINGS = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** An input could not be read or parsed; the others were still processed. */
    public static final int INPUT = 3;
    /**
     * {@code probe --bench}: the fitted costs miss a measured cell by more than 2x, or a cost is
     * beyond what the measurements support; the profile is not written (unless {@code --force}).
     */
    public static final int UNFIT = 4;
    /** virtlint itself failed. */
    public static final int INTERNAL = 70;

    /** What {@code --help} lists under "Exit codes", for every command. */
    static final java.util.Map<String, String> HELP = helpList();

    private static java.util.Map<String, String> helpList() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(String.valueOf(OK), "nothing at or above the failure threshold");
        m.put(String.valueOf(FINDINGS), "findings at or above the failure threshold");
        m.put(String.valueOf(USAGE), "usage error, or a configuration, host profile or rule file that is wrong");
        m.put(String.valueOf(INPUT), "an input could not be read or parsed (the others are still reported)");
        m.put(String.valueOf(UNFIT), "probe --bench: the fitted costs miss a measurement by more than 2x"
                + " or leave its range; the profile is not written (--force writes it)");
        m.put(String.valueOf(INTERNAL), "internal error");
        return java.util.Collections.unmodifiableMap(m);
    }

    private ExitCode() {
    }
}
