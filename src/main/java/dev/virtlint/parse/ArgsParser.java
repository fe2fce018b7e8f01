package dev.virtlint.parse;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.SourceText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads QEMU command lines written for a POSIX shell: libvirt's {@code .args} test files
 * (environment assignments, then one option per line ending in {@code \}) and launch scripts.
 * Words are split and unquoted as the shell would, and every character keeps its offset in the
 * file. Nothing is run: what is read is what a reader of the script sees statically.
 *
 * <p>Variables: {@code NAME=value} and {@code NAME+=value} (alone, or after {@code export},
 * {@code local}, {@code declare}, {@code readonly}, {@code typeset}) and the bash arrays
 * {@code NAME=( ... )} and {@code NAME+=( ... )} are recorded in text order, whichever branch of
 * an {@code if} or function they are in (nothing is evaluated). A word that is one reference,
 * {@code "${NAME[@]}"}, {@code "$NAME"}, {@code $NAME} or {@code ${NAME}}, becomes the recorded
 * value: an array's elements, a quoted scalar as one word, an unquoted one split at blanks. Its
 * characters keep their places in the assignment, so a finding points into the array and a fix
 * edits the element there. Any other reference (inside a word, {@code ${NAME:-x}}, {@code $1}, a
 * name the file does not assign, a value from a command substitution) stays as written: a disk's
 * source reads {@code $REPO_PATH/mac_hdd_ng.img}. One exception keeps the common accumulation
 * idiom: in an assignment value, a reference at its very start ({@code OPTS="$OPTS -m 1"}) is
 * replaced by the value, which stands earlier in the file.
 */
public final class ArgsParser {

    /** One command: its words after the expansions above, and whether it runs QEMU. */
    record Command(List<MappedText> words, boolean runsQemu) {
    }

    /** A script's commands, in text order. */
    public record Script(List<Command> commands) {

        /** Whether some command runs a {@code qemu-system-*} or {@code qemu-kvm} binary. */
        public boolean runsQemu() {
            return commands.stream().anyMatch(Command::runsQemu);
        }
    }

    /** What the file assigned to a name: a scalar or an array, or a value only known at run time. */
    private record Variable(List<MappedText> elements, boolean array, String dynamic) {

        MappedText scalar() {
            return elements.isEmpty() ? null : elements.get(0);
        }
    }

    /** A binary that is QEMU: qemu-system-x86_64, /usr/libexec/qemu-kvm, ${QEMU:-qemu-system-arm}. */
    private static final Pattern QEMU = Pattern.compile("qemu-system-[A-Za-z0-9_]+|qemu-kvm");

    /** Commands that run the next word as a program; their options and numbers are skipped too. */
    private static final Set<String> PREFIXES = Set.of("exec", "sudo", "doas", "nice", "ionice", "env", "time",
            "command", "nohup", "taskset", "numactl", "chrt", "stdbuf", "setsid", "then", "do", "else", "{", "!",
            "(", "if", "while", "until", "&&", "||");

    /** Reserved words after which a command starts (POSIX XCU 2.9.4 compound commands). */
    private static final Set<String> OPENERS = Set.of("then", "do", "else", "{", "(", "!");

    /** Builtins after which {@code NAME=value} still assigns. */
    private static final Set<String> DECLARATIONS = Set.of("export", "local", "declare", "typeset", "readonly");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(\\+?)=");

    private final SourceText source;
    private final String s;
    private int p;
    /** Here-documents whose operator was read on this line; their bodies follow its newline. */
    private final List<Heredoc> pending = new ArrayList<>();
    private final Map<String, Variable> variables = new HashMap<>();

    /**
     * Characters (and one per word) that expanding references may produce in one file. A real
     * launch script expands a few kilobytes; a script that doubles an array or a string
     * ({@code a+=("${a[@]}")} thirty times) would otherwise grow without bound from a few hundred
     * bytes, so it is refused as an input error instead of running the heap out.
     */
    static final long EXPANSION_LIMIT = 4L << 20;
    private long expanded;

    private ArgsParser(SourceText source) {
        this.source = source;
        this.s = source.text();
    }

    /** The disks of every command in the text (an {@code .args} file). */
    public static List<Disk> parse(SourceText source, Dialect dialect) throws ParseException {
        List<Disk> disks = new ArrayList<>();
        for (Command command : script(source).commands()) {
            disks.addAll(DriveParser.parseArgv(source, command.words(), dialect));
        }
        return disks;
    }

    /** The disks of the commands of a launch script that run QEMU; other commands are not QEMU's. */
    public static List<Disk> parseQemuCommands(Script script, SourceText source, Dialect dialect)
            throws ParseException {
        List<Disk> disks = new ArrayList<>();
        for (Command command : script.commands()) {
            if (command.runsQemu()) {
                disks.addAll(DriveParser.parseArgv(source, command.words(), dialect));
            }
        }
        return disks;
    }

    /** The commands of the text, each as its words; commands end at newlines, {@code ;}, {@code &} and {@code |}. */
    public static List<List<MappedText>> commands(SourceText source) throws ParseException {
        return script(source).commands().stream().map(Command::words).toList();
    }

    /** The commands of the text with the expansions described above. */
    public static Script script(SourceText source) throws ParseException {
        return new ArgsParser(source).run();
    }

    /** Whether the text names a QEMU binary anywhere (for a script this reader cannot read). */
    public static boolean mentionsQemu(String text) {
        return QEMU.matcher(text).find();
    }

    private Script run() throws ParseException {
        List<Command> commands = new ArrayList<>();
        List<MappedText> words = new ArrayList<>();
        boolean assigning = true;
        boolean declaring = false;
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
                    rawWord();
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
                assigning = true;
                declaring = false;
            } else if (c == '#') {
                while (p < s.length() && s.charAt(p) != '\n') {
                    p++;
                }
            } else {
                var m = ASSIGNMENT.matcher(s).region(p, s.length());
                if (assigning && m.lookingAt()) {
                    if (m.end() < s.length() && s.charAt(m.end()) == '(') {
                        p = m.end() + 1;
                        array(m.group(1), !m.group(2).isEmpty());
                        continue;
                    }
                    int wordStart = p;
                    p = m.end();
                    MappedText value = assignmentValue();
                    assign(m.group(1), !m.group(2).isEmpty(), value, s.substring(m.end(), p));
                    // The word stays in the command, unquoted, as before: libvirt's .args start with them.
                    MappedText.Builder word = new MappedText.Builder(wordStart);
                    for (int i = wordStart; i < m.end(); i++) {
                        word.append(s.charAt(i), i, i + 1);
                    }
                    for (int i = 0; i < value.text().length(); i++) {
                        word.append(value, i);
                    }
                    words.add(word.build());
                    continue;
                }
                List<MappedText> fields = fields(false);
                words.addAll(fields);
                // declare -a args=(...), local -r x=1: options of a declaration come before its names.
                String first = fields.size() == 1 ? fields.get(0).text() : "";
                declaring = assigning && (DECLARATIONS.contains(first) || (declaring && first.startsWith("-")));
                // then args+=(...) on one line: a reserved word starts a command of its own.
                assigning = declaring || (assigning && words.size() == 1 && OPENERS.contains(first));
            }
        }
        endCommand(commands, words);
        return new Script(commands);
    }

    private void endCommand(List<Command> commands, List<MappedText> words) {
        if (!words.isEmpty()) {
            commands.add(new Command(List.copyOf(words), runsQemu(words)));
        }
    }

    /**
     * Whether the command's program is QEMU: its first word that is not an assignment, a prefix
     * command such as {@code exec} or {@code sudo}, an option or a number; a variable the file
     * set from a command substitution ({@code QEMU=$(command -v qemu-system-x86_64)}) is looked
     * up by its text.
     */
    private boolean runsQemu(List<MappedText> words) {
        for (MappedText w : words) {
            String t = w.text();
            if (ASSIGNMENT.matcher(t).lookingAt() || PREFIXES.contains(t) || t.startsWith("-")
                    || t.matches("[0-9][0-9,.:-]*")) {
                continue;
            }
            if (QEMU.matcher(t).find()) {
                return true;
            }
            String name = t.startsWith("${") && t.endsWith("}") ? t.substring(2, t.length() - 1)
                    : t.startsWith("$") ? t.substring(1) : null;
            Variable v = name == null ? null : variables.get(name);
            return v != null && v.dynamic() != null && QEMU.matcher(v.dynamic()).find();
        }
        return false;
    }

    private void assign(String name, boolean append, MappedText value, String raw) throws ParseException {
        Variable old = variables.get(name);
        if (append && old != null && old.dynamic() != null) {
            variables.put(name, new Variable(List.of(), false, old.dynamic() + raw));
            return;
        }
        if (raw.contains("$(") || raw.contains("`")) {
            // Known only when the script runs; kept for runsQemu, never expanded.
            variables.put(name, new Variable(List.of(), false, raw));
            return;
        }
        if (append && old != null && old.dynamic() == null && !old.array() && old.scalar() != null) {
            charge(List.of(old.scalar()), value.sourceOffset(0));
            MappedText.Builder b = new MappedText.Builder(old.scalar().sourceOffset(0));
            MappedText prefix = old.scalar();
            for (int i = 0; i < prefix.text().length(); i++) {
                b.append(prefix, i);
            }
            for (int i = 0; i < value.text().length(); i++) {
                b.append(value, i);
            }
            value = b.build();
        } else if (append && old != null && old.array() && old.dynamic() == null) {
            // NAME+=value on an array appends to its first element, as bash does.
            List<MappedText> elements = new ArrayList<>(old.elements());
            MappedText.Builder b = new MappedText.Builder(value.sourceOffset(0));
            MappedText first = elements.isEmpty() ? MappedText.identity("", value.sourceOffset(0)) : elements.get(0);
            charge(List.of(first), value.sourceOffset(0));
            for (int i = 0; i < first.text().length(); i++) {
                b.append(first, i);
            }
            for (int i = 0; i < value.text().length(); i++) {
                b.append(value, i);
            }
            if (elements.isEmpty()) {
                elements.add(b.build());
            } else {
                elements.set(0, b.build());
            }
            variables.put(name, new Variable(elements, true, null));
            return;
        }
        variables.put(name, new Variable(List.of(value), false, null));
    }

    /** {@code NAME=( words )}, p just after the parenthesis; comments and newlines may sit inside. */
    private void array(String name, boolean append) throws ParseException {
        int open = p - 1;
        List<MappedText> elements = new ArrayList<>();
        while (true) {
            if (p >= s.length()) {
                throw ParseException.at(source, open, "unterminated array assignment: no closing parenthesis");
            }
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                p++;
            } else if (c == '\\' && p + 1 < s.length() && s.charAt(p + 1) == '\n') {
                p += 2;
            } else if (c == '#') {
                while (p < s.length() && s.charAt(p) != '\n') {
                    p++;
                }
            } else if (c == ')') {
                p++;
                break;
            } else {
                int at = p;
                elements.addAll(fields(true));
                if (p == at) {
                    // ; & | or << inside the parentheses: bash refuses them; read on past it.
                    p++;
                }
            }
        }
        Variable old = variables.get(name);
        if (append && old != null && old.dynamic() == null) {
            // Copying the old elements costs one each: 100,000 appends would be quadratic.
            expanded += old.elements().size();
            charge(List.of(), open);
            List<MappedText> all = new ArrayList<>(old.elements());
            all.addAll(elements);
            elements = all;
        }
        variables.put(name, new Variable(List.copyOf(elements), true, null));
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
        MappedText delimiter = p < s.length() ? rawWord() : null;
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

    /** A reference to a variable met in a word: {@code $NAME}, {@code ${NAME}}, {@code ${NAME[@]}}. */
    private record Reference(String name, boolean all, boolean quoted, int start, int end) {
    }

    /** A word as read: its characters, and the one reference it consists of, if it is just that. */
    private record Scanned(MappedText text, Reference only) {
    }

    /** A word without expansion (a here-document delimiter, a here-string). */
    private MappedText rawWord() throws ParseException {
        return scan(false).text();
    }

    /** Counts what an expansion produces against {@link #EXPANSION_LIMIT}. */
    private void charge(List<MappedText> words, int at) throws ParseException {
        for (MappedText w : words) {
            expanded += w.text().length() + 1L;
        }
        if (expanded > EXPANSION_LIMIT) {
            throw ParseException.at(source, at, "variable expansion grows past " + EXPANSION_LIMIT
                    + " characters (a variable that keeps doubling?); this script is not read");
        }
    }

    /** A word and what it expands to: usually itself; a whole-word reference gives the value's words. */
    private List<MappedText> fields(boolean inArray) throws ParseException {
        int at = p;
        Scanned w = scan(inArray);
        Reference r = w.only();
        Variable v = r == null ? null : variables.get(r.name());
        if (v == null || v.dynamic() != null) {
            return List.of(w.text());
        }
        List<MappedText> out = expand(r, v);
        charge(out, at);
        return out;
    }

    /** What a whole-word reference to a variable the file assigned gives. */
    private static List<MappedText> expand(Reference r, Variable v) {
        if (v.array() && r.all()) {
            return v.elements();
        }
        MappedText value = v.scalar();
        if (value == null) {
            return r.quoted() ? List.of(MappedText.identity("", r.start())) : List.of();
        }
        if (r.quoted()) {
            return List.of(value);
        }
        // Unquoted: split into fields at blanks (POSIX XCU 2.6.5 with the default IFS), no globbing.
        List<MappedText> out = new ArrayList<>();
        String t = value.text();
        int i = 0;
        while (i < t.length()) {
            while (i < t.length() && " \t\n".indexOf(t.charAt(i)) >= 0) {
                i++;
            }
            int start = i;
            while (i < t.length() && " \t\n".indexOf(t.charAt(i)) < 0) {
                i++;
            }
            if (i > start) {
                out.add(value.sub(start, i));
            }
        }
        return out;
    }

    /** An assignment's value: one word, not split; a reference at its start is replaced by its value. */
    private MappedText assignmentValue() throws ParseException {
        int start = p;
        Scanned w = scan(false);
        Reference r = w.only();
        Reference lead = r != null ? r : leadingReference(start);
        Variable v = lead == null ? null : variables.get(lead.name());
        if (v == null || v.dynamic() != null || v.scalar() == null || (v.array() && !lead.all())) {
            return w.text();
        }
        MappedText value = v.array() ? joined(v.elements(), lead.start()) : v.scalar();
        charge(List.of(value), start);
        MappedText.Builder b = new MappedText.Builder(value.sourceOffset(0));
        for (int i = 0; i < value.text().length(); i++) {
            b.append(value, i);
        }
        // The rest of the word: what follows the reference, as scanned.
        MappedText text = w.text();
        for (int i = 0; i < text.text().length(); i++) {
            if (text.sourceOffset(i) >= lead.end()) {
                b.append(text, i);
            }
        }
        return b.build();
    }

    /** The reference an assignment value starts with ({@code "$OPTS -m 1"}, {@code $OPTS' -m 1'}), if any. */
    private Reference leadingReference(int start) {
        int q = start;
        boolean quoted = q < s.length() && s.charAt(q) == '"';
        if (quoted) {
            q++;
        }
        if (q >= s.length() || s.charAt(q) != '$') {
            return null;
        }
        return reference(q, quoted);
    }

    private static MappedText joined(List<MappedText> elements, int at) {
        MappedText.Builder b = new MappedText.Builder(at);
        for (int e = 0; e < elements.size(); e++) {
            if (e > 0) {
                b.append(' ', at, at);
            }
            for (int i = 0; i < elements.get(e).text().length(); i++) {
                b.append(elements.get(e), i);
            }
        }
        return b.build();
    }

    /** The reference at {@code q} (a {@code $}), or null when it is not a plain name. */
    private Reference reference(int q, boolean quoted) {
        if (q + 1 < s.length() && s.charAt(q + 1) == '{') {
            int close = s.indexOf('}', q + 2);
            if (close < 0) {
                return null;
            }
            String inner = s.substring(q + 2, close);
            boolean all = inner.endsWith("[@]") || inner.endsWith("[*]");
            String name = all ? inner.substring(0, inner.length() - 3) : inner;
            return NAME.matcher(name).matches() ? new Reference(name, all, quoted, q, close + 1) : null;
        }
        var m = NAME.matcher(s).region(q + 1, s.length());
        return m.lookingAt() ? new Reference(m.group(), false, quoted, q, m.end()) : null;
    }

    private boolean wordEnds(char c, boolean inArray) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|'
                || s.startsWith("<<", p) || (inArray && c == ')');
    }

    /**
     * Reads one word, quotes removed. A {@code $} keeps its text: {@code $(...)}, {@code $((...))}
     * and {@code `...`} are read whole (so their blanks and separators do not end the word), and
     * the word's one reference, when it is nothing else, is returned for {@link #fields}.
     */
    private Scanned scan(boolean inArray) throws ParseException {
        MappedText.Builder out = new MappedText.Builder(p);
        Reference only = null;
        int parts = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (wordEnds(c, inArray)) {
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
                parts += 2;
            } else if (c == '"') {
                Reference r = doubleQuoted(out);
                parts++;
                only = parts == 1 ? r : null;
            } else if (c == '\\') {
                if (p + 1 >= s.length()) {
                    p++;
                } else if (s.charAt(p + 1) == '\n') {
                    p += 2;
                } else {
                    out.append(s.charAt(p + 1), p, p + 2);
                    p += 2;
                    parts += 2;
                }
            } else if (c == '$' || c == '`') {
                Reference r = dollar(out, false);
                parts++;
                only = parts == 1 ? r : null;
            } else {
                out.append(c, p, p + 1);
                p++;
                parts += 2;
            }
        }
        return new Scanned(out.build(), parts == 1 ? only : null);
    }

    /**
     * Copies a {@code $...} or {@code `...`} as written, p at it; returns the plain reference it is,
     * if it is one. Command substitutions and {@code ${...}} are read to their balanced end.
     */
    private Reference dollar(MappedText.Builder out, boolean quoted) throws ParseException {
        int start = p;
        Reference r = s.charAt(p) == '$' ? reference(p, quoted) : null;
        int end;
        if (r != null) {
            end = r.end();
        } else if (s.charAt(p) == '`') {
            end = s.indexOf('`', p + 1);
            if (end < 0) {
                throw ParseException.at(source, p, "unterminated command substitution (`)");
            }
            end++;
        } else if (s.startsWith("$(", p)) {
            end = balanced(p + 1, '(', ')');
        } else if (s.startsWith("${", p)) {
            end = balanced(p + 1, '{', '}');
        } else {
            // $1, $@, $?, $$ ...: two characters; a lone $ is itself.
            end = p + 1 < s.length() && "0123456789@*#?$!-".indexOf(s.charAt(p + 1)) >= 0 ? p + 2 : p + 1;
        }
        for (int i = start; i < end; i++) {
            out.append(s.charAt(i), i, i + 1);
        }
        p = end;
        return r;
    }

    /** The offset after the bracket closing the one at {@code open}, skipping quoted text inside. */
    private int balanced(int open, char left, char right) throws ParseException {
        int depth = 0;
        int q = open;
        while (q < s.length()) {
            char c = s.charAt(q);
            if (c == '\\') {
                q += 2;
                continue;
            }
            if (c == '\'') {
                int close = s.indexOf('\'', q + 1);
                q = close < 0 ? s.length() : close + 1;
                continue;
            }
            if (c == '"') {
                q++;
                while (q < s.length() && s.charAt(q) != '"') {
                    q += s.charAt(q) == '\\' ? 2 : 1;
                }
                q++;
                continue;
            }
            if (c == left) {
                depth++;
            } else if (c == right && --depth == 0) {
                return q + 1;
            }
            q++;
        }
        throw ParseException.at(source, open - 1, "unterminated " + (left == '(' ? "$(" : "${"));
    }

    /**
     * Inside double quotes a backslash only escapes {@code $ ` " \} and a newline. Returns the
     * reference the quoted text consists of, if it is just one ({@code "$DRIVE"}, {@code "${a[@]}"}).
     */
    private Reference doubleQuoted(MappedText.Builder out) throws ParseException {
        int open = p;
        p++;
        Reference only = null;
        int parts = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '"') {
                p++;
                return parts == 1 ? only : null;
            }
            if (c == '\\' && p + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(p + 1)) >= 0) {
                if (s.charAt(p + 1) != '\n') {
                    out.append(s.charAt(p + 1), p, p + 2);
                    parts += 2;
                }
                p += 2;
                continue;
            }
            if (c == '$' || c == '`') {
                Reference r = dollar(out, true);
                parts++;
                only = parts == 1 ? r : null;
                continue;
            }
            out.append(c, p, p + 1);
            p++;
            parts += 2;
        }
        throw ParseException.at(source, open, "unterminated double quote");
    }
}
