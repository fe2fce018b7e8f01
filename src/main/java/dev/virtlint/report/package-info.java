/** Output formats: what a lint run found, written for people (text) and for programs (JSON). */
package dev.virtlint.report;
