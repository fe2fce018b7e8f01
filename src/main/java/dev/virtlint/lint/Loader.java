package dev.virtlint.lint;

import dev.virtlint.model.Origin;
import dev.virtlint.model.SourceText;
import dev.virtlint.parse.ArgsParser;
import dev.virtlint.parse.DomainParser;
import dev.virtlint.parse.DriveParser;
import dev.virtlint.parse.MappedText;
import dev.virtlint.parse.ParseException;
import dev.virtlint.parse.TextDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** Reads and parses one input; never throws for bad input, which becomes an {@link InputError}. */
public final class Loader {

    /**
     * The largest input read unless {@code --max-input-size} says otherwise (64 MiB; the largest
     * domain of the corpus is far below 1 MiB): a larger file, or one that never ends, is an error
     * for that input instead of running the heap out for the whole batch.
     */
    public static final long DEFAULT_INPUT_LIMIT = 64L << 20;

    /** An input larger than the limit. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLarge(long limit) {
            super("larger than the input size limit of " + limit + " bytes (--max-input-size); not read");
        }
    }

    private Loader() {
    }

    /** Reads at most {@code limit} bytes of {@code path}, never all of a file of unknown size. */
    public static byte[] read(java.nio.file.Path path, long limit) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(path)) {
            return read(in, limit);
        }
    }

    /** Reads {@code in} to its end, or throws {@link TooLarge} once it has given more than {@code limit} bytes. */
    public static byte[] read(java.io.InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > limit) {
            throw new TooLarge(limit);
        }
        return bytes;
    }

    /** Either a parsed file or an error. */
    public record Outcome(ParsedFile file, InputError error) {
    }

    /** {@link #load(Input, long)} with the default limit. */
    public static Outcome load(Input input) {
        return load(input, DEFAULT_INPUT_LIMIT);
    }

    /** Reads (at most {@code limit} bytes, unless the input is already in memory) and parses {@code input}. */
    public static Outcome load(Input input, long limit) {
        byte[] bytes;
        try {
            bytes = input.inline() != null ? input.inline() : read(input.path(), limit);
        } catch (TooLarge e) {
            return new Outcome(null, new InputError(input.name(), null, e.getMessage(), false));
        } catch (NoSuchFileException e) {
            return new Outcome(null, new InputError(input.name(), null, "no such file", false));
        } catch (IOException e) {
            return new Outcome(null, new InputError(input.name(), null, "cannot read: " + e.getMessage(), false));
        }
        try {
            return new Outcome(parse(input, bytes), null);
        } catch (ParseException e) {
            return new Outcome(null, new InputError(input.name(), e.position(), e.getMessage(), false));
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(null, new InputError(input.name(), null, e.toString(), true));
        }
    }

    private static ParsedFile parse(Input input, byte[] bytes) throws ParseException {
        if (input.kind() == Input.Kind.DRIVE) {
            SourceText source = SourceText.of(input.name(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            var disks = DriveParser.parseDrive(source, MappedText.identity(source.text(), 0), Origin.DRIVE);
            return new ParsedFile(input.name(), ParsedFile.Kind.DRIVE, source, null, null, disks, null);
        }
        SourceText source = TextDecoder.decode(input.name(), bytes);
        Input.Kind kind = input.kind() == Input.Kind.SNIFF ? sniff(input.name(), source) : input.kind();
        if (kind == Input.Kind.SHELL) {
            ArgsParser.Script script = ArgsParser.script(source);
            if (!script.runsQemu()) {
                return new ParsedFile(input.name(), ParsedFile.Kind.SKIPPED, source, null, null, List.of(),
                        NO_QEMU);
            }
            return new ParsedFile(input.name(), ParsedFile.Kind.ARGS, source, null, null,
                    ArgsParser.parseQemuCommands(script, source, Origin.ARGS), null);
        }
        if (kind == Input.Kind.ARGS) {
            return new ParsedFile(input.name(), ParsedFile.Kind.ARGS, source, null, null,
                    ArgsParser.parse(source, Origin.ARGS), null);
        }
        DomainParser.Result result = DomainParser.parse(source);
        if (result instanceof DomainParser.Parsed parsed) {
            return new ParsedFile(input.name(), parsed.standaloneDisk() ? ParsedFile.Kind.DISK : ParsedFile.Kind.DOMAIN,
                    source, parsed.domain(), parsed.tree(), parsed.domain().disks(), null);
        }
        DomainParser.Skipped skipped = (DomainParser.Skipped) result;
        return new ParsedFile(input.name(), ParsedFile.Kind.SKIPPED, source, null, null, List.of(), skipped.reason());
    }

    /** Why a shell script named on the command line is not linted. */
    public static final String NO_QEMU = "a shell script that runs no qemu-system-* or qemu-kvm binary";

    /**
     * A shell interpreter line: {@code #!/bin/sh}, {@code #!/bin/bash -e}, {@code #!/usr/bin/env bash},
     * {@code #!/usr/bin/env -S bash -x} (the shells of Debian's /etc/shells and busybox's ash).
     */
    private static final java.util.regex.Pattern SHEBANG = java.util.regex.Pattern.compile(
            "#![ \\t]*(?:\\S*/)?(?:env[ \\t]+(?:-\\S+[ \\t]+)*)?(?:sh|bash|dash|ksh|mksh|zsh|ash|yash|posh)"
            + "(?:[ \\t].*)?\\r?");

    /** Whether the first line of a file is a shell's {@code #!} line. */
    public static boolean shellShebang(String firstLine) {
        return SHEBANG.matcher(firstLine).matches();
    }

    /**
     * Whether the shell script at {@code path} runs QEMU, for walking a directory: a script that
     * does not is left out silently. One that cannot be read, or that this reader cannot read
     * while it names a QEMU binary, is kept, so that its error is reported.
     */
    public static boolean runsQemu(java.nio.file.Path path) {
        SourceText source;
        try {
            source = TextDecoder.decode(path.toString(), read(path, DEFAULT_INPUT_LIMIT));
        } catch (IOException | ParseException | RuntimeException e) {
            return true;
        }
        try {
            return ArgsParser.script(source).runsQemu();
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return ArgsParser.mentionsQemu(source.text());
        }
    }

    private static Input.Kind sniff(String name, SourceText source) {
        String t = source.text();
        int nl = t.indexOf('\n');
        if (name.endsWith(".sh") || shellShebang(nl < 0 ? t : t.substring(0, nl))) {
            return Input.Kind.SHELL;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isWhitespace(t.charAt(i))) {
                return t.charAt(i) == '<' ? Input.Kind.XML : Input.Kind.ARGS;
            }
        }
        return Input.Kind.ARGS;
    }
}
