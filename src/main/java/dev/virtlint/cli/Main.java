package dev.virtlint.cli;

/** Entry point of {@code virtlint.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(VirtLint.commandLine(System.in).execute(args));
    }
}
