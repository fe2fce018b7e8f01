package dev.virtlint.parse;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.MappingEndEvent;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.events.SequenceEndEvent;
import org.snakeyaml.engine.v2.events.SequenceStartEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * YAML files virtlint reads (configuration, host profiles, declarative rules), kept as a small tree
 * whose every node knows its line and column, so that a wrong value is reported where it is written.
 * Scalars stay strings (YAML 1.2: {@code no} is not a boolean); callers convert and complain.
 */
public final class Yaml {

    /** A YAML file that is malformed or says something virtlint cannot use, with where. */
    public static final class YamlException extends Exception {

        private static final long serialVersionUID = 1L;

        private final String file;
        private final int line;
        private final int column;

        public YamlException(String file, int line, int column, String message) {
            super(message);
            this.file = file;
            this.line = line;
            this.column = column;
        }

        public String file() {
            return file;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        /** {@code file:line:column: error: message}, like every other virtlint error. */
        public String format() {
            return file + ":" + line + ":" + column + ": error: " + getMessage();
        }
    }

    /** One node: a scalar, a sequence or a mapping (keys are scalars, in file order). */
    public static final class YNode {

        private final String file;
        private final int line;
        private final int column;
        private final String scalar;
        private final List<YNode> items;
        private final Map<String, YNode> entries;
        private final Map<String, YNode> keys;

        private YNode(String file, int line, int column, String scalar, List<YNode> items,
                      Map<String, YNode> entries, Map<String, YNode> keys) {
            this.file = file;
            this.line = line;
            this.column = column;
            this.scalar = scalar;
            this.items = items;
            this.entries = entries;
            this.keys = keys;
        }

        public String file() {
            return file;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        public boolean isScalar() {
            return scalar != null;
        }

        public boolean isList() {
            return items != null;
        }

        public boolean isMap() {
            return entries != null;
        }

        /** An error located at this node. */
        public YamlException error(String message) {
            return new YamlException(file, line, column, message);
        }

        public String string() throws YamlException {
            if (scalar == null) {
                throw error("expected a single value, found " + kind());
            }
            return scalar;
        }

        /** A list; a single scalar counts as a list of one, so {@code rules: x} and {@code rules: [x]} both work. */
        public List<YNode> list() throws YamlException {
            if (items != null) {
                return items;
            }
            if (scalar != null) {
                return List.of(this);
            }
            throw error("expected a list, found a mapping");
        }

        public List<String> strings() throws YamlException {
            List<String> out = new ArrayList<>();
            for (YNode n : list()) {
                out.add(n.string());
            }
            return out;
        }

        /** The mapping's entries in file order; fails unless this is a mapping. */
        public Map<String, YNode> map() throws YamlException {
            if (entries == null) {
                throw error("expected a mapping (key: value), found " + kind());
            }
            return entries;
        }

        /** A mapping that may only use the given keys; an unknown key is reported where it is written. */
        public Map<String, YNode> map(Set<String> allowed) throws YamlException {
            Map<String, YNode> m = map();
            for (Map.Entry<String, YNode> e : keys.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    String hint = Suggestions.didYouMean(e.getKey(), new TreeSet<>(allowed));
                    throw e.getValue().error("unknown key '" + e.getKey() + "'" + (hint.isEmpty()
                            ? "; expected one of " + String.join(", ", new TreeSet<>(allowed)) : hint));
                }
            }
            return m;
        }

        /** Where a mapping's key is written, for errors about the key itself. */
        public YNode keyNode(String key) {
            return keys == null ? this : keys.getOrDefault(key, this);
        }

        public Optional<YNode> get(String key) throws YamlException {
            return Optional.ofNullable(map().get(key));
        }

        public YNode require(String key) throws YamlException {
            YNode n = map().get(key);
            if (n == null) {
                throw error("missing key '" + key + "'");
            }
            return n;
        }

        /** {@code true|false|yes|no|on|off}, the spellings people use in configuration files. */
        public boolean bool() throws YamlException {
            switch (string().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return true;
                }
                case "false", "no", "off" -> {
                    return false;
                }
                default -> throw error("expected true or false, found '" + scalar + "'");
            }
        }

        private String kind() {
            return scalar != null ? "'" + scalar + "'" : items != null ? "a list" : "a mapping";
        }
    }

    /*
     * Limits on what a YAML file may cost, checked before a tree is built. virtlint's files are a few
     * kilobytes; these are far above any real one. SnakeYAML Engine's LoadSettings bounds the document
     * (setCodePointLimit) and aliases of collections (setMaxAliasesForCollections) but neither the
     * nesting depth (its composer recurses: 5000 '[' overflow the stack) nor aliases of scalars (a
     * 1 MB scalar aliased 20 times is a 20 MB document): the event pass in parse() counts those.
     */
    static final int MAX_CODE_POINTS = 256 * 1024;
    static final int MAX_DEPTH = 64;
    static final int MAX_ALIASES = 100;
    /** PATH_MAX (Linux include/uapi/linux/limits.h): values are paths, globs, XPaths and messages. */
    static final int MAX_SCALAR = 4096;
    /** Globs compile to regular expressions whose cost grows with their length: 1 MiB of them took 3 s. */
    static final int MAX_EXPANDED = 256 * 1024;

    /**
     * Characters of a YAML problem that may repeat the file's text: quoted fragments and what follows
     * "alias"/"anchor"/"tag" (their names). They are replaced so that an error never shows content.
     */
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile(
            "'[^']*'|\"[^\"]*\"|\\b(alias|anchor|tag|handle|directive)\\b\\s+\\S+");

    private Yaml() {
    }

    /**
     * Whether a file may be read as a virtlint file: its name ends in {@code .yaml} or {@code .yml}.
     * Any other file (/etc/shadow, .git-credentials) is refused unread, so no message can quote it.
     */
    static boolean isVirtlintFileName(Path path) {
        Path name = path.getFileName();
        String n = name == null ? "" : name.toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** Reads a UTF-8 YAML file; an empty file is an empty mapping. */
    public static YNode read(Path path, String label) throws IOException, YamlException {
        if (!isVirtlintFileName(path)) {
            throw new YamlException(label, 1, 1, "not read: virtlint reads only files named *.yaml or *.yml");
        }
        byte[] bytes = Files.readAllBytes(path);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new YamlException(label, 1, 1, "not UTF-8 text");
        }
        return parse(text, label);
    }

    public static YNode parse(String text, String label) throws YamlException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(label)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setMaxAliasesForCollections(20)
                .setAllowRecursiveKeys(false)
                .setUseMarks(true)
                .build();
        if (text.length() > MAX_CODE_POINTS) {
            throw new YamlException(label, 1, 1, "the file is longer than " + MAX_CODE_POINTS + " characters");
        }
        Optional<Node> root;
        try {
            checkEvents(settings, text, label);
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            throw new YamlException(label, mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1, "malformed YAML: " + withoutText(problem));
        } catch (YamlEngineException e) {
            throw new YamlException(label, 1, 1, "malformed YAML: " + withoutText(e.getMessage()));
        }
        if (root.isEmpty()) {
            return new YNode(label, 1, 1, null, null, Map.of(), Map.of());
        }
        return convert(root.get(), label, 0, new long[1]);
    }

    /** A YAML problem without the fragments of the file it may quote (see {@link #QUOTED}). */
    static String withoutText(String problem) {
        String p = problem == null ? "unreadable" : problem.lines().findFirst().orElse("unreadable");
        return QUOTED.matcher(p).replaceAll(m -> m.group(1) == null ? "(text not shown)"
                : m.group(1) + " (name not shown)");
    }

    /**
     * One pass over the parser's events, which keeps its own stack (no recursion), before the
     * recursive composer runs: nesting depth, the number of aliases and scalar length, each reported
     * at the node that exceeds it.
     */
    private static void checkEvents(LoadSettings settings, String text, String label) throws YamlException {
        int depth = 0;
        int aliases = 0;
        for (Event e : new Parse(settings).parseString(text)) {
            Mark mark = e.getStartMark().orElse(null);
            int line = mark == null ? 1 : mark.getLine() + 1;
            int column = mark == null ? 1 : mark.getColumn() + 1;
            if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                if (++depth > MAX_DEPTH) {
                    throw new YamlException(label, line, column, "nested more than " + MAX_DEPTH + " levels deep");
                }
            } else if (e instanceof MappingEndEvent || e instanceof SequenceEndEvent) {
                depth--;
            } else if (e instanceof AliasEvent) {
                if (++aliases > MAX_ALIASES) {
                    throw new YamlException(label, line, column, "more than " + MAX_ALIASES + " aliases");
                }
            } else if (e instanceof ScalarEvent s && s.getValue().length() > MAX_SCALAR) {
                throw new YamlException(label, line, column, "a value longer than " + MAX_SCALAR + " characters");
            }
        }
    }

    /** {@code expanded[0]} counts the characters of scalars reached, aliases included (MAX_EXPANDED). */
    private static YNode convert(Node node, String label, int depth, long[] expanded) throws YamlException {
        int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
        int column = node.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
        if (depth > MAX_DEPTH) {
            throw new YamlException(label, line, column, "nested more than " + MAX_DEPTH + " levels deep");
        }
        if (node instanceof ScalarNode s) {
            expanded[0] += s.getValue().length();
            if (expanded[0] > MAX_EXPANDED) {
                throw new YamlException(label, line, column, "aliases expand the file beyond " + MAX_EXPANDED
                        + " characters");
            }
            return new YNode(label, line, column, s.getValue(), null, null, null);
        }
        if (node instanceof SequenceNode s) {
            List<YNode> items = new ArrayList<>();
            for (Node item : s.getValue()) {
                items.add(convert(item, label, depth + 1, expanded));
            }
            return new YNode(label, line, column, null, Collections.unmodifiableList(items), null, null);
        }
        MappingNode m = (MappingNode) node;
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, YNode> keys = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            YNode key = convert(t.getKeyNode(), label, depth + 1, expanded);
            if (!key.isScalar()) {
                throw key.error("a key must be a single value");
            }
            if (entries.containsKey(key.scalar)) {
                YNode first = keys.get(key.scalar);
                throw key.error("duplicate key (first at line " + first.line + ")");
            }
            keys.put(key.scalar, key);
            entries.put(key.scalar, convert(t.getValueNode(), label, depth + 1, expanded));
        }
        return new YNode(label, line, column, null, null, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(keys));
    }
}
