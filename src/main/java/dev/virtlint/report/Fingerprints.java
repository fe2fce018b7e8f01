package dev.virtlint.report;

import dev.virtlint.lint.ParsedFile;
import dev.virtlint.rules.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A finding's identity across edits of its file: the domain's name (the file's path when there is
 * no domain), the disk's target, the rule id and the offending value, never a line number, so that
 * lines added above a disk do not make an old finding new. Two findings with the same identity in
 * one file are told apart by their order.
 */
final class Fingerprints {

    private final Map<String, Integer> seen = new HashMap<>();

    /** The parts a fingerprint is made of. */
    record Parts(String domain, String disk, String rule, String value) {
    }

    public static Parts parts(ParsedFile file, Finding f) {
        String domain = file.domain() != null && file.domain().name() != null ? file.domain().name() : file.name();
        return new Parts(domain, f.target() == null ? "" : f.target(), f.rule(), value(file, f));
    }

    /** The text the finding points at, with its white space collapsed and double quotes made single. */
    static String value(ParsedFile file, Finding f) {
        return file.source().slice(f.span()).replace('"', '\'').replaceAll("\\s+", " ").trim();
    }

    /** The fingerprint of the next finding of one file (call in the file's finding order). */
    public String next(ParsedFile file, Finding f) {
        Parts p = parts(file, f);
        String key = p.domain() + "\u0000" + p.disk() + "\u0000" + p.rule() + "\u0000" + p.value();
        int n = seen.merge(key, 1, Integer::sum);
        return hash(n == 1 ? key : key + "\u0000" + n);
    }

    static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
