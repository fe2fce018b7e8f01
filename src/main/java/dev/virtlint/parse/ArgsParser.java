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
            } else if (c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|') {
                p++;
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

    private static void endCommand(List<List<MappedText>> commands, List<MappedText> words) {
        if (!words.isEmpty()) {
            commands.add(words);
        }
    }

    private MappedText word() throws ParseException {
        MappedText.Builder out = new MappedText.Builder(p);
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|') {
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
