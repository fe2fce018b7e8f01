package dev.virtlint.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.virtlint.model.Disk;
import dev.virtlint.model.Origin;
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
        Disk d = ArgsParser.parse(source, Origin.ARGS).get(0);
        var cache = d.setting(Setting.CACHE).orElseThrow().span();
        assertThat(source.slice(cache)).isEqualTo("unsafe");
        assertThat(source.positionOf(cache.start()).line()).isEqualTo(3);
        assertThat(source.positionOf(cache.start()).column()).isEqualTo(text.split("\n")[2].indexOf("unsafe") + 1);
    }

    @Test
    void spansSkipTheQuotesInsideAWord() throws ParseException {
        String text = "qemu -drive file=/a.img,if=virtio,cache='unsafe'";
        SourceText source = SourceText.of("t", text);
        Disk d = ArgsParser.parse(source, Origin.ARGS).get(0);
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
        List<Disk> disks = ArgsParser.parse(SourceText.of("t", script), Origin.ARGS);
        assertThat(disks).singleElement().satisfies(d -> assertThat(d.source()).contains("/d.img"));
        // A body that never ends runs to the end of the file, as bash reads it.
        assertThat(words("cat <<EOF\n-drive file=/a.img\n")).containsExactly("cat");
    }

    @Test
    void aHereStringIsNotAHeredoc() throws ParseException {
        assertThat(words("grep x <<< 'some text'\nqemu -drive file=/d.img\n"))
                .containsExactly("grep", "x", "qemu", "-drive", "file=/d.img");
    }
}
