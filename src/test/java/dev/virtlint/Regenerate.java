package dev.virtlint;

import dev.virtlint.sim.LossTableSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the generated file that the tests compare ({@code LossTableTest}): the default host's
 * loss table. Run from the checkout's root; the tests never write.
 */
public final class Regenerate {

    /** How to run it: the exec plugin is configured with this class in pom.xml. */
    public static final String COMMAND = "mvn -B -q test-compile exec:java";

    private Regenerate() {
    }

    public static void main(String[] args) throws Exception {
        write(LossTableSource.FILE, LossTableSource.current());
    }

    private static void write(Path file, String text) throws java.io.IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) {
            System.out.println("unchanged " + file);
            return;
        }
        Files.writeString(file, text);
        System.out.println("wrote " + file);
    }
}
