package dev.virtlint.cli;

import java.util.Map;

/**
 * What the process writes to: whether standard output and standard error are terminals, and the
 * environment that says whether to colour. Java 17 cannot tell whether one stream is a terminal
 * ({@code System.console()} is null unless standard input and output both are, and pre-commit runs
 * a hook with standard input on /dev/null and output on a pty when it colours: pre_commit/util.py
 * {@code cmd_output_p}, used by xargs.py "color: Make a pty"), so the launcher tests each stream
 * ({@code [ -t 1 ]}, {@code [ -t 2 ]}) and says so in the system properties below.
 *
 * @param env    the environment ({@code NO_COLOR}, {@code FORCE_COLOR})
 * @param stdout whether standard output is a terminal
 * @param stderr whether standard error is a terminal
 */
record Terminal(Map<String, String> env, boolean stdout, boolean stderr) {

    /** Set to {@code true} by the launcher when standard output is a terminal. */
    static final String STDOUT_PROPERTY = "virtlint.stdout.tty";
    /** Set to {@code true} by the launcher when standard error is a terminal. */
    static final String STDERR_PROPERTY = "virtlint.stderr.tty";

    /** Neither stream a terminal, no colour variable: what tests and pipes see. */
    static final Terminal NONE = new Terminal(Map.of(), false, false);

    /** The process's own terminal, as the launcher describes it. */
    static Terminal current() {
        boolean console = System.console() != null;
        return new Terminal(System.getenv(), console || Boolean.getBoolean(STDOUT_PROPERTY),
                Boolean.getBoolean(STDERR_PROPERTY));
    }

    /**
     * Whether a report on standard output may carry colour. {@code FORCE_COLOR} present and not
     * empty forces it, whatever its value, pipes included (https://force-color.org: its reference
     * implementation applies it after {@code NO_COLOR}, so it wins over it); else {@code NO_COLOR}
     * present and not empty, whatever its value, prevents it (https://no-color.org); else colour
     * exactly when standard output is a terminal. A report written with {@code -o} never has it.
     */
    boolean colour() {
        if (set("FORCE_COLOR")) {
            return true;
        }
        return !set("NO_COLOR") && stdout;
    }

    /** Whether progress may be shown: standard error is a terminal (never in a pipe or a file). */
    boolean progress() {
        return stderr;
    }

    private boolean set(String name) {
        String value = env.get(name);
        return value != null && !value.isEmpty();
    }
}
