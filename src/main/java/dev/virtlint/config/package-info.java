/**
 * The configuration file {@code .virtlint.yaml}: {@link dev.virtlint.config.ConfigReader} reads and
 * checks it (keys, value types, error positions, paths kept inside its directory tree), and
 * {@link dev.virtlint.config.Config} is what a lint asks of it: which rules run at which severity,
 * the settings for each linted file, and where the nearest file is.
 */
package dev.virtlint.config;
