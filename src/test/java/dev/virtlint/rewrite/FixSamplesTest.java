package dev.virtlint.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.virtlint.lint.Input;
import dev.virtlint.lint.Inputs;
import dev.virtlint.lint.Loader;
import dev.virtlint.rules.Catalogue;
import dev.virtlint.rules.Finding;
import dev.virtlint.rules.Linter;
import dev.virtlint.rules.SampleMarkersTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Fix pairs (style.md, "Samples are the tests"): {@code <case>.before.EXT} fixes to exactly
 * {@code <case>.after.EXT}, which lints clean of the rule its directory is named after and fixes to
 * itself; a lone {@code before} must not change. With {@code --unsafe-fixes} it fixes to
 * {@code <case>.after-unsafe.EXT} when that exists (it must then differ from what {@code fix}
 * gives), else to the same as without: so a {@code before} whose only fixes are unsafe has no
 * {@code after} and an {@code after-unsafe}. Every sample prints back byte for byte when no edit
 * applies, and fixing any sample twice changes nothing the second time.
 */
class FixSamplesTest {

    private static final Path SAMPLES = SampleMarkersTest.SAMPLES;

    static List<Input> samples() throws IOException {
        return Inputs.expand(List.of(SAMPLES.toString())).inputs();
    }

    static Path afterOf(Path before) {
        return before.resolveSibling(before.getFileName().toString().replace(".before.", ".after."));
    }

    /** What {@code fix --unsafe-fixes} gives, when it differs from what {@code fix} gives. */
    static Path unsafeAfterOf(Path before) {
        return before.resolveSibling(before.getFileName().toString().replace(".before.",
                ".after-unsafe."));
    }

    @TestFactory
    Stream<DynamicTest> everyBeforeFixesToItsAfter() throws IOException {
        List<Input> befores = samples().stream().filter(i -> i.name().contains(".before.")).toList();
        assertThat(befores).hasSizeGreaterThanOrEqualTo(20);
        return befores.stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
            byte[] before = Files.readAllBytes(input.path());
            Path afterPath = afterOf(input.path());
            byte[] expected = Files.exists(afterPath) ? Files.readAllBytes(afterPath) : before;
            Path unsafePath = unsafeAfterOf(input.path());
            byte[] expectedUnsafe = Files.exists(unsafePath) ? Files.readAllBytes(unsafePath)
                    : expected;
            if (Files.exists(unsafePath)) {
                assertThat(expectedUnsafe).as(unsafePath
                        + " differs from what fix gives").isNotEqualTo(expected);
            }
            Linter.Settings settings = SampleMarkersTest.settingsFor(input);
            fixesTo(input, before, settings, false, afterPath, expected);
            fixesTo(input, before, settings, true, Files.exists(unsafePath) ? unsafePath
                    : afterPath,
                    expectedUnsafe);
        }));
    }

    /**
     * Fixing {@code before} (unsafe fixes too with {@code unsafe}) gives {@code expected}, which
     * fixes to itself and, when it is a fixed file, lints clean of the directory's rule.
     */
    private static void fixesTo(Input input, byte[] before, Linter.Settings settings,
            boolean unsafe,
                                Path afterPath, byte[] expected) throws IOException {
        String how = unsafe ? "with --unsafe-fixes" : "without --unsafe-fixes";
        FileFix.Attempt first = FileFix.attempt(input, before, settings, unsafe);
        assertThat(first.notes().stream().filter(n -> n.contains("kept the original"))).isEmpty();
        assertThat(new String(first.after(), StandardCharsets.UTF_8)).as("fixed text " + how)
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(first.after()).as("fixed bytes " + how).isEqualTo(expected);

        Input after = new Input(afterPath.toString(), afterPath, input.kind(), null);
        FileFix.Attempt second = FileFix.attempt(after, expected, settings, unsafe);
        assertThat(second.status()).as("a second cycle " + how).isEqualTo(FileFix.Status.UNCHANGED);
        assertThat(second.after()).isEqualTo(expected);

        String rule = input.path().getParent().getFileName().toString();
        if (Files.exists(afterPath)
                && Catalogue.rules().stream().anyMatch(r -> r.id().equals(rule))) {
            List<Finding> left = Linter.lint(Loader.load(after).file(), settings);
            // What fix leaves is an unsafe fix, if anything: only --unsafe-fixes removes it.
            assertThat(left).as("findings of " + rule + " after the fix " + how)
                    .noneMatch(f -> f.rule().equals(rule) && (unsafe || !f.unsafeFix()));
        }
    }

    @Test
    void everyFixableRuleHasASafeFixPair() throws IOException {
        Set<String> withPairs = samples().stream()
                .filter(i -> i.name().contains(".before.") && Files.exists(afterOf(i.path())))
                .map(i -> i.path().getParent().getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        // The rules that give a finding with a fix (safe or unsafe) on some sample: derived from
        // what the rules do, not from a list of names, so a new fixable rule without a pair fails
        // here. The pair must be a safe one (an after that fix itself gives): a host profile or
        // metadata that states the facts makes one.
        Set<String> fixable = new TreeSet<>();
        for (Input input : samples()) {
            var file = Loader.load(input).file();
            if (file == null || file.kind() == dev.virtlint.lint.ParsedFile.Kind.SKIPPED) {
                continue;
            }
            for (Finding f : Linter.lint(file, SampleMarkersTest.settingsFor(input))) {
                if (f.fix() != null) {
                    fixable.add(f.rule());
                }
            }
        }
        // Built-in rules only (a sample configuration's own rules have no page); each page's "What
        // the fix does" must agree: "Nothing" exactly when no sample gets a fix from the rule.
        Set<String> builtIn = Catalogue.rules().stream().map(r -> r.id()).collect(Collectors.toSet());
        fixable.retainAll(builtIn);
        for (String id : builtIn) {
            String page = Files.readString(Path.of("rules", id + ".md"));
            boolean nothing = page.substring(page.indexOf("## What the fix does"))
                    .startsWith("## What the fix does\n\nNothing");
            assertThat(nothing).as(id + ": the page says it fixes nothing, and no sample gets a fix from it")
                    .isEqualTo(!fixable.contains(id));
        }
        assertThat(withPairs).containsAll(fixable);
    }

    @TestFactory
    Stream<DynamicTest> everySamplePrintsBackAndFixesOnce() throws IOException {
        return samples().stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
            byte[] bytes = Files.readAllBytes(input.path());
            var file = Loader.load(input).file();
            if (file == null && new String(bytes, StandardCharsets.UTF_8).contains("<!-- expect: input-error")) {
                return; // a sample of a refused file: nothing to print back or fix
            }
            assertThat(Encoded.bytes(file.source(), new TextEdits().apply(file.source().text())))
                    .as("printed back with no edit").isEqualTo(bytes);
            Linter.Settings settings = SampleMarkersTest.settingsFor(input);
            for (boolean unsafe : new boolean[] {false, true}) {
                FileFix.Attempt first = FileFix.attempt(input, bytes, settings, unsafe);
                assertThat(first.status()).isNotEqualTo(FileFix.Status.FAILED);
                FileFix.Attempt second = FileFix.attempt(input, first.after(), settings, unsafe);
                assertThat(second.status()).as("fixing the fixed file, unsafe fixes " + unsafe)
                        .isIn(FileFix.Status.UNCHANGED, FileFix.Status.SKIPPED);
            }
        }));
    }

    /**
     * Every fixed XML sample that libvirt's schema accepted before is accepted after. Needs
     * {@code virt-xml-validate} (Debian libvirt-clients, with xmllint from libxml2-utils); {@code .ci/run}
     * installs both and sets VIRTLINT_REQUIRE_TOOLS so that a missing tool fails instead of skipping.
     */
    @TestFactory
    Stream<DynamicTest> fixedSamplesStillValidate() throws IOException {
        boolean required = System.getenv("VIRTLINT_REQUIRE_TOOLS") != null;
        boolean present = validates(null) != null;
        if (required) {
            assertThat(present).as("virt-xml-validate and xmllint are installed").isTrue();
        }
        assumeThat(present).as("virt-xml-validate is installed").isTrue();
        List<Input> pairs = samples().stream().filter(i -> i.name().endsWith(".before.xml")
                && (Files.exists(afterOf(i.path()))
                        || Files.exists(unsafeAfterOf(i.path())))).toList();
        return pairs.stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
            assertThat(validates(input.path())).as("before validates").isTrue();
            for (Path after : List.of(afterOf(input.path()), unsafeAfterOf(input.path()))) {
                if (Files.exists(after)) {
                    assertThat(validates(after)).as(after + " validates").isTrue();
                }
            }
        }));
    }

    /** Whether libvirt's schema accepts the file; with null, whether the tool runs at all (null if not). */
    static Boolean validates(Path file) throws IOException {
        Path checked = file == null ? null : asDomain(file);
        List<String> command = file == null ? List.of("sh", "-c", "command -v virt-xml-validate && command -v xmllint")
                : List.of("virt-xml-validate", checked.toString(), "domain");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (file == null) {
            return p.exitValue() == 0 ? Boolean.TRUE : null;
        }
        if (!checked.equals(file)) {
            Files.delete(checked);
        }
        return p.exitValue() == 0;
    }

    /**
     * A standalone {@code <disk>} sample inside a minimal domain (libvirt ships no schema for a disk
     * alone; domain.rng's diskspec is what attach-device's disk must match), else the file itself.
     */
    private static Path asDomain(Path file) throws IOException {
        String text = Files.readString(file);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^<disk[\\s>]").matcher(text);
        if (!m.find() || text.contains("\n<domain")) {
            return file;
        }
        int root = m.start();
        Path wrapped = Files.createTempFile("virtlint-disk", ".xml");
        Files.writeString(wrapped, "<domain type='kvm'><name>standalone</name><memory>1048576</memory>"
                + "<os><type>hvm</type></os><devices>" + text.substring(root) + "</devices></domain>\n");
        return wrapped;
    }
}
