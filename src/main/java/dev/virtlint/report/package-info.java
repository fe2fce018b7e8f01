/**
 * Output formats: what a lint run found, written for people (text) and for programs (JSON, SARIF,
 * GitHub annotations, JUnit). Reports read each file's fix plan as it was made once, and do not
 * depend on {@code rewrite}.
 */
package dev.virtlint.report;
