package dev.virtlint.cli;

/**
 * A command line that cannot run (unknown rule id, missing baseline, nothing to lint): exit 2 with
 * the message. The picocli commands turn it into picocli's own usage error; {@link Main}'s quick
 * path prints it the same way.
 */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
