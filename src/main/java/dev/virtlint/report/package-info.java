/**
 * Output formats: what a lint run found, written for people (text) and for programs (JSON, SARIF,
 * GitHub annotations, JUnit). Each is a {@link dev.virtlint.report.Report}; {@link
 * dev.virtlint.report.Format} lists them by {@code --format} name, so a new format is one class and
 * one line there. Reports read each file's fix plan as it was made once, and do not depend on
 * {@code rewrite}.
 */
package dev.virtlint.report;
