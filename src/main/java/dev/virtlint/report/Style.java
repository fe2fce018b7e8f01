package dev.virtlint.report;

import dev.virtlint.rules.Severity;

/**
 * ANSI colour for the reports people read (text and concise), or none: the severity, the rule id
 * and the path are coloured, nothing else, so that a line stays readable on any background. With
 * colour off every method returns its text unchanged, so a report in a pipe or a file is
 * byte-identical to what it was before colour existed.
 */
final class Style {

    private static final String RESET = "\u001b[0m";

    static final Style PLAIN = new Style(false);
    static final Style COLOUR = new Style(true);

    private final boolean on;

    private Style(boolean on) {
        this.on = on;
    }

    static Style of(ReportSettings settings) {
        return settings.colour() ? COLOUR : PLAIN;
    }

    String path(String path) {
        return paint("1", path);
    }

    String rule(String id) {
        return paint("36", id);
    }

    String severity(Severity s, String text) {
        return paint(switch (s) {
            case ERROR -> "1;31";
            case WARNING -> "33";
            case INFO -> "34";
        }, text);
    }

    private String paint(String sgr, String text) {
        return on ? "\u001b[" + sgr + "m" + text + RESET : text;
    }
}
