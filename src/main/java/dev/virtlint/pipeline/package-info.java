/**
 * The lint as one call, for the commands: gather the inputs, load and lint each file, plan its fix
 * once, and return every file's result with the input errors ({@link dev.virtlint.pipeline.Lint}).
 */
package dev.virtlint.pipeline;
