package dev.virtlint.lint;

import dev.virtlint.model.Dialect;
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

    /**
     * A reader of one input syntax: how a file of it is recognised, by its name's extension, by
     * its content, or in a directory walk, and the parser that reads it.
     */
    private abstract static class Reader {
        final Input.Kind kind;
        /** The file name extension that says the syntax, or null. */
        final String extension;

        Reader(Input.Kind kind, String extension) {
            this.kind = kind;
            this.extension = extension;
        }

        /** Whether text with this first line and first non-blank character is of this syntax. */
        abstract boolean sniffs(String firstLine, int firstChar);

        /** Whether a file met in a directory walk is read by this reader (else left out). */
        boolean walks(java.nio.file.Path path, String name, boolean regularFile) {
            return extension != null && name.endsWith(extension);
        }

        SourceText decode(String name, byte[] bytes) throws ParseException {
            return TextDecoder.decode(name, bytes);
        }

        abstract ParsedFile read(String name, SourceText source) throws ParseException;
    }

    /**
     * The readers, one per input syntax, in the order content is sniffed (the last takes any
     * text): the one table that says how a file is recognised and which parser reads it. A new
     * input syntax is one more reader here (see ARCHITECTURE.md).
     */
    private static final Reader[] READERS = {
        new Reader(Input.Kind.SHELL, ".sh") {
            @Override
            boolean sniffs(String firstLine, int firstChar) {
                return shellShebang(firstLine);
            }

            /**
             * A {@code *.sh} file, or a file without an extension whose first line is a shell's
             * {@code #!} line, that runs QEMU: a repository's build and CI scripts are left out.
             */
            @Override
            boolean walks(java.nio.file.Path path, String name, boolean regularFile) {
                boolean script = regularFile && (name.endsWith(extension)
                        || (name.indexOf('.') < 0 && Inputs.shebang(path)));
                return script && runsQemu(path);
            }

            @Override
            ParsedFile read(String name, SourceText source) throws ParseException {
                ArgsParser.Script script = ArgsParser.script(source);
                if (!script.runsQemu()) {
                    return new ParsedFile(name, ParsedFile.Kind.SKIPPED, source, null, null,
                            List.of(), NO_QEMU);
                }
                return new ParsedFile(name, ParsedFile.Kind.ARGS, source, null, null,
                        ArgsParser.parseQemuCommands(script, source, Dialect.ARGS), null);
            }
        },
        new Reader(Input.Kind.XML, ".xml") {
            @Override
            boolean sniffs(String firstLine, int firstChar) {
                return firstChar == '<';
            }

            @Override
            ParsedFile read(String name, SourceText source) throws ParseException {
                DomainParser.Result result = DomainParser.parse(source);
                if (result instanceof DomainParser.Parsed parsed) {
                    return new ParsedFile(name, parsed.standaloneDisk() ? ParsedFile.Kind.DISK
                            : ParsedFile.Kind.DOMAIN, source, parsed.domain(), parsed.tree(),
                            parsed.domain().disks(), null);
                }
                DomainParser.Skipped skipped = (DomainParser.Skipped) result;
                return new ParsedFile(name, ParsedFile.Kind.SKIPPED, source, null, null, List.of(),
                        skipped.reason());
            }
        },
        new Reader(Input.Kind.ARGS, ".args") {
            @Override
            boolean sniffs(String firstLine, int firstChar) {
                return true;
            }

            @Override
            ParsedFile read(String name, SourceText source) throws ParseException {
                return new ParsedFile(name, ParsedFile.Kind.ARGS, source, null, null,
                        ArgsParser.parse(source, Dialect.ARGS), null);
            }
        },
        new Reader(Input.Kind.DRIVE, null) {
            @Override
            boolean sniffs(String firstLine, int firstChar) {
                return false;
            }

            /** A drive string is the command line's own text: no byte order mark or declaration. */
            @Override
            SourceText decode(String name, byte[] bytes) {
                return SourceText.of(name,
                        new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            ParsedFile read(String name, SourceText source) {
                MappedText value = MappedText.identity(source.text(), 0);
                return new ParsedFile(name, ParsedFile.Kind.DRIVE, source, null, null,
                        DriveParser.parseDrive(source, value, Dialect.DRIVE), null);
            }
        },
    };

    private static ParsedFile parse(Input input, byte[] bytes) throws ParseException {
        Reader reader = input.kind() == Input.Kind.SNIFF ? null : reader(input.kind());
        SourceText source = reader == null ? TextDecoder.decode(input.name(), bytes)
                : reader.decode(input.name(), bytes);
        if (reader == null) {
            reader = sniff(input.name(), source);
        }
        return reader.read(input.name(), source);
    }

    private static Reader reader(Input.Kind kind) {
        for (Reader r : READERS) {
            if (r.kind == kind) {
                return r;
            }
        }
        throw new IllegalArgumentException("no reader for " + kind);
    }

    /** How a file is read by its name's extension, or {@code otherwise} when no reader says. */
    static Input.Kind kindByName(String name, Input.Kind otherwise) {
        for (Reader r : READERS) {
            if (r.extension != null && name.endsWith(r.extension)) {
                return r.kind;
            }
        }
        return otherwise;
    }

    /** How a file met in a directory walk is read, or null when it is left out. */
    static Input.Kind walked(java.nio.file.Path path, boolean regularFile) {
        String name = path.getFileName().toString();
        for (Reader r : READERS) {
            if (r.walks(path, name, regularFile)) {
                return r.kind;
            }
        }
        return null;
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
    static boolean shellShebang(String firstLine) {
        return SHEBANG.matcher(firstLine).matches();
    }

    /**
     * Whether the shell script at {@code path} runs QEMU, for walking a directory: a script that
     * does not is left out silently. One that cannot be read, or that this reader cannot read
     * while it names a QEMU binary, is kept, so that its error is reported.
     */
    static boolean runsQemu(java.nio.file.Path path) {
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

    /** The reader of an input named by no kind: by its name's extension, else by its content. */
    private static Reader sniff(String name, SourceText source) {
        Input.Kind byName = kindByName(name, null);
        if (byName != null) {
            return reader(byName);
        }
        String t = source.text();
        int nl = t.indexOf('\n');
        int first = -1;
        for (int i = 0; i < t.length() && first < 0; i++) {
            if (!Character.isWhitespace(t.charAt(i))) {
                first = t.charAt(i);
            }
        }
        for (Reader r : READERS) {
            if (r.sniffs(nl < 0 ? t : t.substring(0, nl), first)) {
                return r;
            }
        }
        throw new IllegalStateException("the last reader takes any text");
    }
}
