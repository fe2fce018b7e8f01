package dev.virtlint.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aWalkTakesTheShellScriptsThatRunQemuAndLeavesTheOthersOutSilently() throws IOException {
        write("a.xml", "<domain/>");
        write("b.args", "qemu -m 1\n");
        write("run-vm.sh", "#!/bin/sh\nexec qemu-system-x86_64 -m 1G\n");
        write("build.sh", "#!/bin/sh\nmake -j4\n# qemu-system-x86_64 is started elsewhere\n");
        write("start", "#!/usr/bin/env bash\nargs=(-m 1G)\nqemu-kvm \"${args[@]}\"\n");
        write("notes", "qemu-system-x86_64 -m 1G\n");
        write("deploy", "#!/usr/bin/python3\nprint('qemu-system-x86_64')\n");
        write("vm.txt", "#!/bin/sh\nqemu-system-x86_64 -m 1G\n");
        Inputs.Expanded e = Inputs.expand(List.of(dir.toString()));
        assertThat(e.errors()).isEmpty();
        assertThat(e.inputs()).extracting(i -> i.path().getFileName().toString() + ":" + i.kind())
                .containsExactly("a.xml:XML", "b.args:ARGS", "run-vm.sh:SHELL", "start:SHELL");
    }

    @Test
    void aScriptNamedOnTheCommandLineThatRunsNoQemuIsSkippedNotAnError() throws IOException {
        Path build = write("build.sh", "#!/bin/sh\nqemu-img create -f qcow2 a.qcow2 1G\n");
        Input input = Inputs.expand(List.of(build.toString())).inputs().get(0);
        assertThat(input.kind()).isEqualTo(Input.Kind.SHELL);
        Loader.Outcome o = Loader.load(input);
        assertThat(o.error()).isNull();
        assertThat(o.file().kind()).isEqualTo(ParsedFile.Kind.SKIPPED);
        assertThat(o.file().note()).isEqualTo(Loader.NO_QEMU);
        // Without the .sh name, the #! line says it is a script.
        Path plain = write("mkimg", "#!/bin/bash -e\nqemu-img create a.img 1G\n");
        assertThat(Loader.load(Inputs.expand(List.of(plain.toString())).inputs().get(0)).file().kind())
                .isEqualTo(ParsedFile.Kind.SKIPPED);
    }

    @Test
    void anExcludedDirectoryIsNotListedAndAnExcludedScriptNotOpened() throws Exception {
        Files.createDirectories(dir.resolve("legacy/deeper"));
        write("legacy/deeper/a.xml", "<domain");
        write("run-vm.sh", "#!/bin/sh\nexec qemu-system-x86_64 -m 1G\n");
        write("vm.xml", "<domain/>");
        List<String> asked = new java.util.ArrayList<>();
        Inputs.Exclusion exclusion = (path, directory, named) -> {
            asked.add(dir.relativize(path) + (directory ? "/" : "") + (named ? " named" : ""));
            return path.endsWith("legacy") || path.toString().endsWith(".sh");
        };
        Inputs.Expanded e = Inputs.expand(List.of(dir.toString()), exclusion);
        assertThat(e.errors()).isEmpty();
        assertThat(e.inputs()).extracting(i -> i.path().getFileName().toString())
                .containsExactly("vm.xml");
        assertThat(asked).containsExactlyInAnyOrder("/ named", "legacy/", "run-vm.sh", "vm.xml");
        // A path given is asked about as named, and left out when the exclusion says so.
        Path named = write("named.xml", "<domain");
        assertThat(Inputs.expand(List.of(named.toString()), (p, d, n) -> n).inputs()).isEmpty();
        assertThat(Inputs.expand(List.of(named.toString()), (p, d, n) -> !n).inputs()).hasSize(1);
    }

    @Test
    void withoutAConfigurationHiddenEntriesOfAWalkAreLeftOutButNotHiddenPathsGiven()
            throws IOException {
        Files.createDirectories(dir.resolve(".git"));
        write(".git/config.xml", "<domain/>");
        write(".vm.xml", "<domain/>");
        write("vm.xml", "<domain/>");
        assertThat(Inputs.expand(List.of(dir.toString())).inputs())
                .extracting(i -> i.path().getFileName().toString()).containsExactly("vm.xml");
        assertThat(Inputs.expand(List.of(dir.resolve(".vm.xml").toString())).inputs()).hasSize(1);
        assertThat(Inputs.expand(List.of(dir.resolve(".git").toString())).inputs()).hasSize(1);
    }

    @Test
    void shellShebangs() {
        assertThat(List.of("#!/bin/sh", "#!/bin/bash -e", "#! /bin/dash", "#!/usr/bin/env bash",
                "#!/usr/bin/env -S bash -x", "#!/usr/local/bin/zsh", "#!/bin/sh\r"))
                .allMatch(Loader::shellShebang);
        assertThat(List.of("#!/usr/bin/python3", "#!/usr/bin/env perl", "# /bin/sh", "#!/bin/shell"))
                .noneMatch(Loader::shellShebang);
    }
}
