package dev.virtlint.sweep;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.model.Disk;
import dev.virtlint.model.Located;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceText;
import dev.virtlint.parse.ArgsParser;
import dev.virtlint.parse.MappedText;
import dev.virtlint.parse.ParseException;
import java.util.List;
import java.util.Map;

/**
 * Checks that every located value of every disk is what its span slices out of the source, once
 * the source's own escaping is undone (XML entities, QEMU's doubled comma). Element settings must
 * slice out a start tag of that element.
 */
public final class SpanCheck {

    private SpanCheck() {
    }

    public static int check(ParsedFile file, List<String> wrong) {
        int checked = 0;
        for (Disk disk : file.disks()) {
            for (Map.Entry<Setting, Located> e : disk.settings().entrySet()) {
                checked++;
                String raw = file.source().slice(e.getValue().span());
                if (!matches(disk.dialect(), e.getKey(), e.getValue().value(), raw)) {
                    wrong.add(file.name() + ":" + file.source().start(e.getValue().span()) + " " + e.getKey()
                            + " value '" + e.getValue().value() + "' but the span holds '" + raw + "'");
                }
            }
        }
        return checked;
    }

    private static boolean matches(Dialect dialect, Setting key, String value, String raw) {
        if (dialect == Dialect.XML && (key == Setting.DRIVER || key == Setting.READONLY || key == Setting.SHAREABLE
                || key == Setting.TRANSIENT || (key == Setting.SOURCE && raw.startsWith("<")))) {
            return raw.startsWith("<" + value) && raw.endsWith(">");
        }
        if (key == Setting.DRIVER) {
            return xmlDecode(raw).equals(value) || raw.equals(value)
                    || (dialect == Dialect.ARGS && value.equals(shellWord(raw)));
        }
        String text = dialect == Dialect.XML || dialect == Dialect.QEMU_COMMANDLINE ? xmlDecode(raw) : raw;
        return text.equals(value) || text.replace(",,", ",").equals(value) || jsonUnescape(text).equals(value)
                || (value.equals("on") && text.isEmpty());
    }

    /**
     * A shell word with its quotes removed ({@code file="$DIR/a.img",if=virtio}): a drive string in
     * a script may be quoted in part. The span runs from the first character QEMU receives to the
     * last, so a quote opened inside it may close just after it. Null when the text is not one word.
     */
    private static String shellWord(String raw) {
        for (String closing : List.of("", "\"", "'")) {
            try {
                List<List<MappedText>> commands = ArgsParser.commands(SourceText.of("span", raw + closing));
                return commands.size() == 1 && commands.get(0).size() == 1 ? commands.get(0).get(0).text() : null;
            } catch (ParseException e) {
                // try the next closing quote
            }
        }
        return null;
    }

    private static String xmlDecode(String raw) {
        return raw.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static String jsonUnescape(String raw) {
        return raw.replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\");
    }
}
