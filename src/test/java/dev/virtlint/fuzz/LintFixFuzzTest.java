package dev.virtlint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.virtlint.lint.Input;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fuzz target for {@code lint} and {@code fix --diff}: the engine's bytes pick the kind of
 * input (domain XML, a {@code .args} or shell command line, a {@code --drive} string), one of the
 * samples of that kind, and a few splices into it (dictionary tokens, bytes of its own, a deleted
 * or repeated stretch), and {@link Oracle} checks what lint and fix make of the result.
 *
 * <p>Without {@code JAZZER_FUZZ} (every {@code mvn verify}), Jazzer replays the inputs saved under
 * {@code src/test/resources/dev/virtlint/fuzz/LintFixFuzzTestInputs/lintAndFix/}: each crash found
 * is kept there as a regression test. With {@code JAZZER_FUZZ=1} it fuzzes ({@code bin/fuzz}).
 */
class LintFixFuzzTest {

    /** Inputs larger than this are cut: the target looks for wrong results, not for slowness. */
    private static final int MAX_BYTES = 64 * 1024;

    private static final Input.Kind[] KINDS = {Input.Kind.XML, Input.Kind.ARGS, Input.Kind.DRIVE};

    /** Pieces of the three syntaxes that random bytes would take long to spell. */
    private static final String[] TOKENS = {
        ",", ",,", "=", "'", "\"", "\\\n", "\r\n", "\n", " ", "\t", "\u0085", "\u00e9", "\uFEFF",
        "cache=", "none", "writeback", "writethrough", "directsync", "unsafe", "default",
        "cache.direct=on", "cache.no-flush=on", "aio=native", "aio=io_uring", "detect-zeroes=unmap",
        "discard=unmap", "snapshot=on", "readonly=on", "if=virtio", "if=none", "id=drive0",
        "file=/dev/shm/x", "file=/var/lib/libvirt/images/a.qcow2", "format=raw", "format=qcow2",
        "-drive ", "-blockdev ", "-device virtio-blk-pci,drive=drive0 ", "-hda /tmp/a.img ",
        "{\"driver\":\"file\",\"filename\":\"/a\"}",
        "{\"cache\":{\"direct\":true,\"no-flush\":false}}", "[", "]", "{", "}", ":",
        "qemu-system-x86_64 ", "$(", "${A}", "`", "<<EOF\n", "\nEOF\n", "&&", ";", "|", "#", "\\",
        "<disk type='file' device='disk'>", "</disk>",
        "<driver name='qemu' type='qcow2' cache='writeback'/>",
        "<driver name='qemu' type='raw' cache='none' io='native'/>", "<driver/>",
        "<source file='/a.img'/>", "<source dev='/dev/sda'/>", "<target dev='vdb' bus='virtio'/>",
        "<target dev='vda'/>", "<shareable/>", "<transient/>", "<readonly/>", "device='cdrom'",
        "device='lun'", "type='network'", "cache='unsafe'", "io='threads'", "discard='unmap'",
        "detect_zeroes='unmap'", "<devices>", "</devices>", "<domain type='kvm'>", "</domain>",
        "<os><type arch='x86_64'>hvm</type></os>", "<name>x</name>", "<metadata>", "</metadata>",
        "<!-- virtlint: ignore double-caching because reasons -->", "<!--", "-->", "<![CDATA[",
        "]]>", "&amp;", "&#10;", "&#x85;", "&lt;", "<?xml version='1.0' encoding='UTF-8'?>",
        "<?xml version='1.1'?>", "<?xml version='1.0' encoding='ISO-8859-1'?>", "xmlns:q='x'",
        "<qemu:commandline>", "<qemu:arg value='-drive'/>",
        "<qemu:arg value='file=/a,cache=writeback'/>", "<libosinfo:os id='http://x/1'/>",
        "version='99999999999999999999'", "12345678901234567890",
    };

    private static final Map<Input.Kind, List<byte[]>> SAMPLES = samples(Path.of("samples"));
    private static final AtomicLong RUNS = new AtomicLong();
    private static final Map<Oracle.Outcome, AtomicLong> OUTCOMES =
            new EnumMap<>(Oracle.Outcome.class);

    static {
        for (Oracle.Outcome o : Oracle.Outcome.values()) {
            OUTCOMES.put(o, new AtomicLong());
        }
    }

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"cache=", "none", "writeback", "unsafe", "-drive", "<disk", "</disk>",
        "<driver", "cache='", "<target dev='", "-blockdev", "file=", "aio=native", "io='native'"})
    void lintAndFix(FuzzedDataProvider data) {
        Case c = input(data);
        RUNS.incrementAndGet();
        try {
            OUTCOMES.get(Oracle.check(c.kind(), c.bytes())).incrementAndGet();
        } catch (RuntimeException | Error e) {
            // The engine's bytes do not show the input; the message does, for a unit test.
            throw new AssertionError(c.kind() + " input \"" + escaped(c.bytes()) + "\": " + e, e);
        }
    }

    /** The bytes as a Java string literal's content: ASCII as it is, anything else escaped. */
    static String escaped(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v == '\\' || v == '"') {
                sb.append('\\').append((char) v);
            } else if (v == '\n') {
                sb.append("\\n");
            } else if (v >= 0x20 && v < 0x7f) {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.toString();
    }

    /** One input of the target: its kind and its bytes. */
    record Case(Input.Kind kind, byte[] bytes) {
    }

    /** The input the engine's bytes stand for: a kind, a sample of it, and the splices. */
    static Case input(FuzzedDataProvider data) {
        Input.Kind kind = data.pickValue(KINDS);
        List<byte[]> pool = SAMPLES.get(kind);
        byte[] base = pool.get(data.consumeInt(0, pool.size() - 1));
        return new Case(kind, mutate(base, data));
    }

    /** The samples pass the oracle as they are: the fuzz run's starting points are sound. */
    @Test
    void everySamplePassesTheOracle() {
        int n = 0;
        for (Map.Entry<Input.Kind, List<byte[]>> e : SAMPLES.entrySet()) {
            for (byte[] sample : e.getValue()) {
                Oracle.check(e.getKey(), sample);
                n++;
            }
        }
        assertThat(SAMPLES.get(Input.Kind.XML)).hasSizeGreaterThan(20);
        assertThat(SAMPLES.get(Input.Kind.ARGS)).isNotEmpty();
        assertThat(SAMPLES.get(Input.Kind.DRIVE)).hasSizeGreaterThan(4);
        assertThat(n).isGreaterThan(30);
    }

    /**
     * Inputs the fuzzer found that broke the oracle, as they reached virtlint: a saved crash file
     * stands for its input only as long as this class decodes the engine's bytes the same way,
     * these stay.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // The trailing ',' was fixed into ",,cache=none" (the disk became "virtio,cache=none00").
        "DRIVE | file=/srv/build/work/scratch.qcow2,if=virtio,",
        // The invalid UTF-8 byte 0x9e was re-encoded as U+FFFD by the fix.
        "DRIVE | file=/srv/vm/appliance.qcow2,if=virtio,format=qcow2,\\x9ecache=none,discard=unmap",
    })
    void foundInputsPassTheOracle(Input.Kind kind, String escaped) {
        Oracle.check(kind, unescaped(escaped));
    }

    /** The bytes of {@link #escaped}'s form: {@code \\xNN} is one byte, the rest is ASCII. */
    static byte[] unescaped(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.write(n == 'n' ? '\n' : n);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    @AfterAll
    static void figures() {
        if (RUNS.get() > 0) {
            System.err.println("fuzz: lintAndFix ran " + RUNS.get() + " inputs: " + OUTCOMES
);
        }
    }

    /** A few splices into {@code base}, each chosen by the engine's bytes. */
    static byte[] mutate(byte[] base, FuzzedDataProvider data) {
        byte[] out = base;
        int ops = data.consumeInt(0, 6);
        for (int i = 0; i < ops && out.length <= MAX_BYTES; i++) {
            int at = data.consumeInt(0, out.length);
            switch (data.consumeInt(0, 5)) {
                case 0 -> out = splice(out, at, 0,
                        data.pickValue(TOKENS).getBytes(StandardCharsets.UTF_8));
                case 1 -> out = splice(out, at, 0, data.consumeBytes(8));
                case 2 -> out = splice(out, at, data.consumeInt(0, Math.min(64, out.length - at)),
                        new byte[0]);
                case 3 -> {
                    int from = data.consumeInt(0, out.length);
                    int len = data.consumeInt(0, Math.min(4096, out.length - from));
                    byte[] copy = new byte[len];
                    System.arraycopy(out, from, copy, 0, len);
                    for (int r = data.consumeInt(1, 8); r > 0; r--) {
                        out = splice(out, at, 0, copy);
                    }
                }
                case 4 -> {
                    // One token many times: deep nesting ("{" or "[" of -blockdev JSON, elements)
                    // and long runs, which splices of a few bytes take long to build.
                    byte[] token = data.pickValue(TOKENS).getBytes(StandardCharsets.UTF_8);
                    // Log-uniform: long runs are slow (and rare enough), short ones many.
                    int times = Math.min(1 << data.consumeInt(0, 16), MAX_BYTES / token.length);
                    ByteArrayOutputStream run = new ByteArrayOutputStream(token.length * times);
                    for (int r = 0; r < times; r++) {
                        run.write(token, 0, token.length);
                    }
                    out = splice(out, at, 0, run.toByteArray());
                }
                default -> out = splice(out, at, data.consumeInt(0, Math.min(16, out.length - at)),
                        data.consumeString(16).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.length <= MAX_BYTES ? out : java.util.Arrays.copyOf(out, MAX_BYTES);
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, at);
        out.write(insert, 0, insert.length);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }

    /**
     * The samples by kind: every {@code .xml} file, every {@code .args} file, and the
     * {@code --drive} strings, which are the lines of {@code drive-strings.txt} and the
     * {@code -drive} values of the {@code .args} files.
     */
    static Map<Input.Kind, List<byte[]>> samples(Path dir) {
        Map<Input.Kind, List<byte[]>> out = new EnumMap<>(Input.Kind.class);
        for (Input.Kind k : KINDS) {
            out.put(k, new ArrayList<>());
        }
        Pattern drive = Pattern.compile("-drive\\s+'?([^\\s']+)");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                if (name.endsWith(".xml")) {
                    out.get(Input.Kind.XML).add(Files.readAllBytes(f));
                } else if (name.endsWith(".args") || name.endsWith(".sh")) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    out.get(Input.Kind.ARGS).add(text.getBytes(StandardCharsets.UTF_8));
                    Matcher m = drive.matcher(text);
                    while (m.find()) {
                        out.get(Input.Kind.DRIVE).add(m.group(1).getBytes(StandardCharsets.UTF_8));
                    }
                } else if (name.equals("drive-strings.txt")) {
                    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                        if (!line.isBlank() && !line.startsWith("#")) {
                            out.get(Input.Kind.DRIVE).add(line.getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
