package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Dialect;
import dev.virtlint.model.Setting;
import dev.virtlint.model.SourceText;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsParserTest {

    private static List<String> words(String text) throws ParseException {
        List<List<MappedText>> commands = ArgsParser.commands(SourceText.of("t", text));
        return commands.stream().flatMap(List::stream).map(MappedText::text).toList();
    }

    @Test
    void quotesAreRemovedAsTheShellWould() throws ParseException {
        assertThat(words("a 'b c' \"d e\" f\\ g 'h'\"i\"j")).containsExactly("a", "b c", "d e", "f g", "hij");
    }

    @Test
    void backslashInsideSingleQuotesIsLiteral() throws ParseException {
        assertThat(words("-drive 'file=rbd:pool/img:auth_supported=cephx\\;none'"))
                .containsExactly("-drive", "file=rbd:pool/img:auth_supported=cephx\\;none");
    }

    @Test
    void doubleQuotesEscapeOnlyTheShellSpecials() throws ParseException {
        assertThat(words("\"a\\\"b\\$c\\d\"")).containsExactly("a\"b$c\\d");
    }

    @Test
    void lineContinuationsJoinOneCommand() throws ParseException {
        List<List<MappedText>> commands = ArgsParser.commands(SourceText.of("t", "LC_ALL=C \\\nqemu \\\r\n-m 1\nother\n"));
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).extracting(MappedText::text).containsExactly("LC_ALL=C", "qemu", "-m", "1");
    }

    @Test
    void commentsAreSkipped() throws ParseException {
        assertThat(words("# start it\nqemu -m 1 # memory\n")).containsExactly("qemu", "-m", "1");
    }

    @Test
    void spansOfAQuotedWordPointIntoTheFile() throws ParseException {
        String text = "LC_ALL=C \\\n/usr/bin/qemu \\\n-drive 'file=/a.img,if=virtio,cache=unsafe' \\\n-m 512\n";
        SourceText source = SourceText.of("x.args", text);
        Disk d = ArgsParser.parse(source, Dialect.ARGS).get(0);
        var cache = d.setting(Setting.CACHE).orElseThrow().span();
        assertThat(source.slice(cache)).isEqualTo("unsafe");
        assertThat(source.positionOf(cache.start()).line()).isEqualTo(3);
        assertThat(source.positionOf(cache.start()).column()).isEqualTo(text.split("\n")[2].indexOf("unsafe") + 1);
    }

    @Test
    void spansSkipTheQuotesInsideAWord() throws ParseException {
        String text = "qemu -drive file=/a.img,if=virtio,cache='unsafe'";
        SourceText source = SourceText.of("t", text);
        Disk d = ArgsParser.parse(source, Dialect.ARGS).get(0);
        assertThat(source.slice(d.setting(Setting.CACHE).orElseThrow().span())).isEqualTo("unsafe");
    }

    @Test
    void unterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> words("qemu -drive 'file=/a.img\n-m 1\n"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("unterminated single quote")
                .satisfies(e -> assertThat(((ParseException) e).position().toString()).isEqualTo("1:13"));
    }

    @Test
    void heredocBodiesAreDataNotWords() throws ParseException {
        String script = "cat > /etc/a.conf <<EOF\n-drive file=/a.img,cache=unsafe\nEOF\n"
                + "cat <<-'END' >b; cat<<\"X\" >c\n\t-drive file=/b.img\n\tEND\n"
                + "-drive file=/c.img\nX\n"
                + "qemu -drive file=/d.img\n";
        assertThat(words(script)).containsExactly("cat", ">", "/etc/a.conf", "cat", ">b", "cat",
                ">c",
                "qemu", "-drive", "file=/d.img");
        List<Disk> disks = ArgsParser.parse(SourceText.of("t", script), Dialect.ARGS);
        assertThat(disks).singleElement().satisfies(d -> assertThat(d.source()).contains("/d.img"));
        // A body that never ends runs to the end of the file, as bash reads it.
        assertThat(words("cat <<EOF\n-drive file=/a.img\n")).containsExactly("cat");
    }

    @Test
    void aHereStringIsNotAHeredoc() throws ParseException {
        assertThat(words("grep x <<< 'some text'\nqemu -drive file=/d.img\n"))
                .containsExactly("grep", "x", "qemu", "-drive", "file=/d.img");
    }

    private static String slice(SourceText source, Disk d, Setting key) {
        return source.slice(d.setting(key).orElseThrow().span());
    }

    @Test
    void aBashArrayExpandsToItsElementsWhichKeepTheirPlaces() throws ParseException {
        String script = "#!/bin/bash\nargs=(\n  -m 4096 # memory\n"
                + "  -drive id=hd,if=none,file=/vm/hd.img,cache=unsafe\n  -device ide-hd,drive=hd\n)\n"
                + "args+=( -drive 'id=d2,if=none,file=/vm/d2.img,cache=writeback' -device virtio-blk-pci,drive=d2 )\n"
                + "qemu-system-x86_64 \"${args[@]}\" -nographic\n";
        SourceText source = SourceText.of("t.sh", script);
        ArgsParser.Script parsed = ArgsParser.script(source);
        assertThat(parsed.commands()).filteredOn(ArgsParser.Command::runsQemu).singleElement()
                .satisfies(c -> assertThat(c.words()).extracting(MappedText::text).containsExactly(
                        "qemu-system-x86_64", "-m", "4096", "-drive", "id=hd,if=none,file=/vm/hd.img,cache=unsafe",
                        "-device", "ide-hd,drive=hd", "-drive", "id=d2,if=none,file=/vm/d2.img,cache=writeback",
                        "-device", "virtio-blk-pci,drive=d2", "-nographic"));
        List<Disk> disks = ArgsParser.parseQemuCommands(parsed, source, Dialect.ARGS);
        assertThat(disks).extracting(Disk::target).containsExactly("hd", "d2");
        var unsafe = disks.get(0).setting(Setting.CACHE).orElseThrow().span();
        assertThat(source.positionOf(unsafe.start()).line()).isEqualTo(4);
        assertThat(slice(source, disks.get(0), Setting.CACHE)).isEqualTo("unsafe");
        assertThat(slice(source, disks.get(1), Setting.CACHE)).isEqualTo("writeback");
    }

    @Test
    void aWholeWordVariableIsItsValueAndOneInsideAWordStaysAsWritten() throws ParseException {
        String script = "REPO_PATH=\".\"\nDRIVE=\"file=/vm/a.img,if=virtio,cache=none\"\nOPTS=\"-m 1G\"\n"
                + "OPTS=\"$OPTS -drive file=/vm/b.img,if=virtio\"\n"
                + "qemu-system-x86_64 -drive \"$DRIVE\" $OPTS -drive file=\"$REPO_PATH/c.img\",if=virtio"
                + " -drive file=$UNSET/d.img,if=virtio\n";
        SourceText source = SourceText.of("t.sh", script);
        List<MappedText> words = ArgsParser.commands(source).get(4);
        assertThat(words).extracting(MappedText::text).containsExactly("qemu-system-x86_64", "-drive",
                "file=/vm/a.img,if=virtio,cache=none", "-m", "1G", "-drive", "file=/vm/b.img,if=virtio",
                "-drive", "file=$REPO_PATH/c.img,if=virtio", "-drive", "file=$UNSET/d.img,if=virtio");
        List<Disk> disks = ArgsParser.parse(source, Dialect.ARGS);
        assertThat(disks).extracting(d -> d.source().orElse(null))
                .containsExactly("/vm/a.img", "/vm/b.img", "$REPO_PATH/c.img", "$UNSET/d.img");
        // The value stands in the assignment: that is where the finding points and the fix edits.
        var none = disks.get(0).setting(Setting.CACHE).orElseThrow().span();
        assertThat(source.positionOf(none.start()).line()).isEqualTo(2);
        assertThat(source.slice(none)).isEqualTo("none");
    }

    @Test
    void commandSubstitutionsAreOneWordAndTheirVariablesAreNotExpanded() throws ParseException {
        String script = "DIR=$(cd \"$(dirname \"$0\")\"; pwd)\nIMG=`pwd`/x.img\n"
                + "qemu-system-x86_64 -drive \"file=$DIR/vm.img,if=virtio\" -drive \"$IMG\"\n";
        List<List<MappedText>> commands = ArgsParser.commands(SourceText.of("t.sh", script));
        assertThat(commands).hasSize(3);
        assertThat(commands.get(2)).extracting(MappedText::text).containsExactly("qemu-system-x86_64", "-drive",
                "file=$DIR/vm.img,if=virtio", "-drive", "$IMG");
    }

    @Test
    void unquotedVariablesSplitAtBlanksAndQuotedOnesDoNot() throws ParseException {
        assertThat(words("A=\"x  y\"\ncmd $A \"$A\" ${A}\n")).containsExactly("A=x  y", "cmd", "x", "y",
                "x  y", "x", "y");
        assertThat(words("declare -a a=(1 \"2 3\")\nlocal b=(\"${a[@]}\" 4)\ncmd \"${b[@]}\"\n"))
                .containsExactly("declare", "-a", "local", "cmd", "1", "2 3", "4");
    }

    @Test
    void whetherACommandRunsQemu() throws ParseException {
        String script = "echo qemu-system-x86_64 -m 1\nexec sudo -E nice -n 5 /usr/bin/qemu-system-aarch64 -m 1\n"
                + "QEMU=$(command -v qemu-kvm)\n\"$QEMU\" -m 1\nqemu-img create a.img 1G\n"
                + "BIN=qemu-system-riscv64\n$BIN -m 1\n";
        List<Boolean> runs = ArgsParser.script(SourceText.of("t.sh", script)).commands().stream()
                .map(ArgsParser.Command::runsQemu).toList();
        assertThat(runs).containsExactly(false, true, false, true, false, false, true);
        assertThat(ArgsParser.script(SourceText.of("t.sh", "qemu-img info a.img\n")).runsQemu()).isFalse();
    }

    @Test
    void anUnterminatedArrayIsAnError() {
        assertThatThrownBy(() -> words("args=(\n -m 1\n"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("unterminated array assignment");
    }

    @Test
    void oneVariableGivenTwiceIsTwoDrivesWithTwoNames() throws ParseException {
        String script = "DRIVE=\"file=/vm/a.img,if=virtio\"\nqemu-system-x86_64 -drive \"$DRIVE\" -drive \"$DRIVE\"\n";
        assertThat(ArgsParser.parse(SourceText.of("t.sh", script), Dialect.ARGS)).extracting(Disk::target)
                .containsExactly("virtio0", "virtio1");
    }

    @Test
    void anAssignmentAfterThenOnTheSameLineAssigns() throws ParseException {
        String script = "args=(-m 1G)\nif [ -e /vm/b.img ]; then args+=(-drive file=/vm/b.img,if=virtio); fi\n"
                + "qemu-system-x86_64 \"${args[@]}\"\n";
        assertThat(ArgsParser.parse(SourceText.of("t.sh", script), Dialect.ARGS)).extracting(Disk::target)
                .containsExactly("virtio0");
    }

    /** A few hundred bytes that double an array thirty times took 52 s and 6 GB, then ran out of heap. */
    @Test
    void aVariableThatKeepsDoublingIsAnInputErrorAtItsPositionNotAHeapExhaustion() {
        StringBuilder script = new StringBuilder("#!/bin/bash\na=(-drive file=/x.img,if=virtio)\n");
        for (int i = 0; i < 30; i++) {
            script.append("a+=(\"${a[@]}\")\n");
        }
        script.append("qemu-system-x86_64 \"${a[@]}\"\n");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> ArgsParser.script(SourceText.of("bomb.sh", script.toString())))
                        .isInstanceOf(ParseException.class)
                        .hasMessageContaining("variable expansion grows past"));
    }

    @Test
    void appendingToOneVariableAHundredThousandTimesIsRefusedNotQuadratic() {
        String script = "a=x\n" + "a+=yy\n".repeat(100_000) + "qemu-system-x86_64 -drive \"file=$a\"\n";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> ArgsParser.script(SourceText.of("long.sh", script)))
                        .isInstanceOf(ParseException.class));
    }

    @Test
    void ordinaryAccumulationStaysWellInsideTheExpansionLimit() throws ParseException {
        StringBuilder script = new StringBuilder("OPTS=\"-m 4096\"\n");
        for (int i = 0; i < 200; i++) {
            script.append("OPTS=\"$OPTS -drive file=/var/lib/vm/disk").append(i).append(".img,if=virtio,cache=none\"\n");
        }
        script.append("exec qemu-system-x86_64 $OPTS\n");
        List<Disk> disks = ArgsParser.parseQemuCommands(ArgsParser.script(SourceText.of("opts.sh", script.toString())),
                SourceText.of("opts.sh", script.toString()), Dialect.ARGS);
        assertThat(disks).hasSize(200);
    }
}
