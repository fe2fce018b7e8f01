package dev.virtlint.parse;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Origin;
import dev.virtlint.model.SourceText;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads QEMU command lines written for a POSIX shell: libvirt's {@code .args} test files
 * (environment assignments, then one option per line ending in {@code \}) and plain launch
 * scripts. Words are split and unquoted as the shell would, without expansion, and every
 * character keeps its offset in the file.
 */
public final class ArgsParser {

    private final SourceText source;
    private final String s;
    private int p;
    /** Here-documents whose operator was read on this line; their bodies follow its newline. */
    private final List<Heredoc> pending = new ArrayList<>();

    private ArgsParser(SourceText source) {
        this.source = source;
        this.s = source.text();
    }

    /** The disks of every command in the text. */
    public static List<Disk> parse(SourceText source, Origin origin) throws ParseException {
        List<Disk> disks = new ArrayList<>();
        for (List<MappedText> command : commands(source)) {
            disks.addAll(DriveParser.parseArgv(source, command, origin));
        }
        return disks;
    }

    /** The commands of the text, each as its words; commands end at newlines, {@code ;}, {@code &} and {@code |}. */
    public static List<List<MappedText>> commands(SourceText source) throws ParseException {
        return new ArgsParser(source).run();
    }

    private List<List<MappedText>> run() throws ParseException {
        List<List<MappedText>> commands = new ArrayList<>();
        List<MappedText> words = new ArrayList<>();
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t') {
                p++;
            } else if (c == '\\' && p + 1 < s.length() && s.charAt(p + 1) == '\n') {
                p += 2;
            } else if (c == '\\' && s.startsWith("\r\n", p + 1)) {
                p += 3;
            } else if (s.startsWith("<<<", p)) {
                // A here-string (bash): its word is the command's input, not an argument; no body.
                p += 3;
                skipBlanks();
                if (p < s.length()) {
                    word();
                }
            } else if (s.startsWith("<<", p)) {
                heredoc();
            } else if (c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|') {
                p++;
                if (c == '\n') {
                    skipHeredocBodies();
                }
                endCommand(commands, words);
                words = new ArrayList<>();
            } else if (c == '#') {
                while (p < s.length() && s.charAt(p) != '\n') {
                    p++;
                }
            } else {
                words.add(word());
            }
        }
        endCommand(commands, words);
        return commands;
    }

    /** A {@code <<WORD} (or {@code <<-WORD}, which strips leading tabs) waiting for its body. */
    private record Heredoc(String delimiter, boolean stripTabs) {
    }

    /**
     * Reads a here-document operator and its delimiter word. POSIX XCU 2.7.4 "Here-Document": the
     * body starts after the next newline token and ends at a line holding only the delimiter, the
     * word after quote removal; with {@code <<-} leading tabs are removed from the body lines and
     * the delimiter line; several on one line take their bodies in order. The body is the command's
     * input, data not arguments, so it is neither linted nor rewritten.
     */
    private void heredoc() throws ParseException {
        int at = p;
        p += 2;
        boolean stripTabs = p < s.length() && s.charAt(p) == '-';
        if (stripTabs) {
            p++;
        }
        skipBlanks();
        MappedText delimiter = p < s.length() ? word() : null;
        if (delimiter == null || delimiter.text().isEmpty()) {
            throw ParseException.at(source, at, "a here-document needs a delimiter word");
        }
        pending.add(new Heredoc(delimiter.text(), stripTabs));
    }

    private void skipBlanks() {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
    }

    /** Skips the bodies of the pending here-documents, p being just after a newline. */
    private void skipHeredocBodies() {
        for (Heredoc h : pending) {
            while (p < s.length()) {
                int nl = s.indexOf('\n', p);
                int end = nl < 0 ? s.length() : nl;
                String line = s.substring(p, end);
                p = nl < 0 ? s.length() : nl + 1;
                if (h.stripTabs()) {
                    line = line.replaceFirst("^\t+", "");
                }
                // A CRLF script's lines end in CR, which this reader takes as a blank elsewhere.
                if (line.equals(h.delimiter()) || line.equals(h.delimiter() + "\r")) {
                    break;
                }
            }
        }
        pending.clear();
    }

    private static void endCommand(List<List<MappedText>> commands, List<MappedText> words) {
        if (!words.isEmpty()) {
            commands.add(words);
        }
    }

    private MappedText word() throws ParseException {
        MappedText.Builder out = new MappedText.Builder(p);
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|'
                    || s.startsWith("<<", p)) {
                break;
            }
            if (c == '\'') {
                int close = s.indexOf('\'', p + 1);
                if (close < 0) {
                    throw ParseException.at(source, p, "unterminated single quote");
                }
                for (int i = p + 1; i < close; i++) {
                    out.append(s.charAt(i), i, i + 1);
                }
                p = close + 1;
            } else if (c == '"') {
                doubleQuoted(out);
            } else if (c == '\\') {
                if (p + 1 >= s.length()) {
                    p++;
                } else if (s.charAt(p + 1) == '\n') {
                    p += 2;
                } else {
                    out.append(s.charAt(p + 1), p, p + 2);
                    p += 2;
                }
            } else {
                out.append(c, p, p + 1);
                p++;
            }
        }
        return out.build();
    }

    /** Inside double quotes a backslash only escapes {@code $ ` " \} and a newline. */
    private void doubleQuoted(MappedText.Builder out) throws ParseException {
        int open = p;
        p++;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '"') {
                p++;
                return;
            }
            if (c == '\\' && p + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(p + 1)) >= 0) {
                if (s.charAt(p + 1) != '\n') {
                    out.append(s.charAt(p + 1), p, p + 2);
                }
                p += 2;
                continue;
            }
            out.append(c, p, p + 1);
            p++;
        }
        throw ParseException.at(source, open, "unterminated double quote");
    }
}
