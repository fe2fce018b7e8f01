package dev.virtlint.lint;

import java.nio.file.Path;

/**
 * One thing to lint: a file, standard input, or a drive string from the command line.
 *
 * @param name   how it is called in output (the path as given, {@code -}, or {@code --drive[N]})
 * @param path   the file, or null for stdin and drive strings
 * @param kind   how to read it
 * @param inline the content of a drive string or of stdin, else null
 */
public record Input(String name, Path path, Kind kind, byte[] inline) {

    /** How an input is read: by which of the readers of {@link Loader}, or by sniffing. */
    public enum Kind {
        /** Domain XML (or another libvirt XML, which is skipped). */
        XML,
        /** A libvirt {@code .args} file or a shell command line. */
        ARGS,
        /**
         * A shell launch script ({@code *.sh}, or a shell {@code #!} line): the disks of its commands
         * that run {@code qemu-system-*} or {@code qemu-kvm}; a script that runs neither is skipped.
         */
        SHELL,
        /** A single {@code -drive} value. */
        DRIVE,
        /**
         * Decided from the name's extension, else from the content: a shell {@code #!} line, a
         * first character {@code <} (XML), anything else ({@code .args}).
         */
        SNIFF
    }

    public static Input file(String name, Path path, Kind kind) {
        return new Input(name, path, kind, null);
    }
}
