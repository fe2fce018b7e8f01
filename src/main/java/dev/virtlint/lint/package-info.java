/** Turns inputs (files, directories, stdin, drive strings) into parsed files ready for the rules and the reports. */
package dev.virtlint.lint;
