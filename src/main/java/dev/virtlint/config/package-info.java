/** The configuration file {@code .virtlint.yaml}: what it says, and the settings it gives each linted file. */
package dev.virtlint.config;
