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
 * @param env    the environment ({@code NO_COLOR}, {@code FORCE_COLOR}, {@code TERM})
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

    /**
     * The process's own terminal, as the launcher describes it; without the launcher's word on
     * standard output, as {@link #consoleIsTerminal()} finds it.
     */
    static Terminal current() {
        String told = System.getProperty(STDOUT_PROPERTY);
        return new Terminal(System.getenv(), told != null ? Boolean.parseBoolean(told) : consoleIsTerminal(),
                Boolean.getBoolean(STDERR_PROPERTY));
    }

    /**
     * Whether {@code System.console()} stands for a terminal. Up to Java 21 a console exists only
     * when standard input and output are both terminals. From Java 22 {@code System.console()}
     * returns one when the streams are redirected too (JDK-8309155 release note: "This change may
     * impact code that uses the return from System.console() to test if the VM is connected to a
     * terminal"), and {@code Console.isTerminal()}, added in Java 22, tells; virtlint is built for
     * Java 17, so it is looked up by name, and only when a console exists and the launcher did not
     * say (a one-file lint through bin/virtlint never reaches it).
     */
    static boolean consoleIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            java.lang.reflect.Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a report on standard output may carry colour. {@code FORCE_COLOR} present and not
     * empty forces it, whatever its value, pipes included (https://force-color.org: its reference
     * implementation applies it after {@code NO_COLOR}, so it wins over it); else {@code NO_COLOR}
     * present and not empty, whatever its value, prevents it (https://no-color.org); else colour
     * exactly when standard output is a terminal and {@code TERM} is not {@code dumb}. A report
     * written with {@code -o} never has it.
     */
    boolean colour() {
        if (set("FORCE_COLOR")) {
            return true;
        }
        // TERM=dumb: a terminal that takes no escape sequences (Emacs' shell, some CI logs), as
        // ruff's anstream takes it (anstyle-query's term_supports_color is false for "dumb").
        return !set("NO_COLOR") && stdout && !"dumb".equals(env.get("TERM"));
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
