package dev.virtlint.rewrite;

import dev.virtlint.lint.Input;
import dev.virtlint.rules.Linter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Fixes many files in parallel and reports them in input order. A symbolic link is never followed
 * out of the tree it was found in (the directory given, or a given file's directory) without saying
 * so, and a file reached twice (through a link and by name) is fixed once.
 */
public final class Batch {

    /** One file to fix and the tree it was found in. */
    public record Item(Input input, Path tree) {
    }

    /**
     * How many files ended how; {@code refused} disks were left alone, {@code unsafe} disks have
     * an unsafe fix that was not applied.
     */
    public record Summary(int changed, int unchanged, int skipped, int failed, int disks, int remaining,
                          int refused, int unsafe) {

        public static Summary of(List<FileFix.Result> results) {
            int[] by = new int[FileFix.Status.values().length];
            int disks = 0;
            int remaining = 0;
            int refused = 0;
            int unsafe = 0;
            for (FileFix.Result r : results) {
                by[r.status().ordinal()]++;
                disks += r.fixed().size();
                remaining += r.remaining();
                if (r.status() != FileFix.Status.FAILED) {
                    refused += FileFix.refusals(r);
                    unsafe += r.unsafe();
                }
            }
            return new Summary(by[0], by[1], by[2], by[3], disks, remaining, refused, unsafe);
        }
    }

    /** What follows a file's name in the note of a file that virtlint itself failed on. */
    private static final String INTERNAL = ": internal error: ";

    private Batch() {
    }

    /** Whether virtlint itself failed on this file (a bug, exit 70), not the file. */
    public static boolean internal(FileFix.Result r) {
        return r.status() == FileFix.Status.FAILED && r.notes().stream().anyMatch(n -> n.startsWith(r.name() + INTERNAL));
    }

    /**
     * Fixes every item with {@code jobs} threads; {@code settings} gives each input's lint settings,
     * {@code cwd} is where diff paths are relative to.
     */
    public static List<FileFix.Result> run(List<Item> items, Function<Input, Linter.Settings> settings,
                                           FileFix.Mode mode, int jobs, Path cwd) {
        return run(items, settings, mode, jobs, cwd, done -> { });
    }

    /** {@link #run(List, Function, FileFix.Mode, int, Path)}, telling {@code progress} each file done. */
    public static List<FileFix.Result> run(List<Item> items, Function<Input, Linter.Settings> settings,
                                           FileFix.Mode mode, int jobs, Path cwd,
                                           java.util.function.IntConsumer progress) {
        return run(items, settings, settings, mode, jobs, cwd, progress);
    }

    /**
     * {@link #run(List, Function, FileFix.Mode, int, Path, java.util.function.IntConsumer)} with
     * {@code configured} giving each input's settings without {@code --select}/{@code --ignore},
     * by which fix judges what its suppressions hide (FileFix#attempt).
     */
    public static List<FileFix.Result> run(List<Item> items, Function<Input, Linter.Settings> settings,
                                           Function<Input, Linter.Settings> configured,
                                           FileFix.Mode mode, int jobs, Path cwd,
                                           java.util.function.IntConsumer progress) {
        List<Path> targets = new ArrayList<>();
        List<String> skips = new ArrayList<>();
        Map<Path, String> firstName = new HashMap<>();
        for (Item item : items) {
            Path path = item.input().path();
            Path target = path;
            String skip = null;
            try {
                Path real = path.toRealPath();
                if (!real.startsWith(item.tree().toRealPath())) {
                    skip = "reached through a symbolic link, it is " + real + ", outside " + item.tree()
                            + "; not followed (name that file to fix it)";
                }
                target = real;
                String seen = firstName.putIfAbsent(real, item.input().name());
                if (skip == null && seen != null) {
                    skip = "the same file as " + seen + ", fixed once";
                }
            } catch (IOException e) {
                // Not there or not readable: FileFix reports it as failed, with the reason.
            }
            targets.add(target);
            skips.add(skip);
        }
        // Writing: leftovers of a killed run are removed first (once per directory, said on the first file
        // there), and every file's extended attributes are read by a few getfattr runs, not one per file.
        Map<Path, List<String>> leftovers = new HashMap<>();
        if (mode.write()) {
            List<Path> toWrite = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (skips.get(i) == null) {
                    Path dir = targets.get(i).toAbsolutePath().getParent();
                    leftovers.computeIfAbsent(dir, AtomicWrite::removeLeftovers);
                    toWrite.add(targets.get(i));
                }
            }
            Xattrs.prefetch(toWrite);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs), r -> {
            Thread t = new Thread(r, "virtlint-fix");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FileFix.Result>> futures = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                Path target = targets.get(i);
                String skip = skips.get(i);
                futures.add(pool.submit(() -> {
                    if (skip != null) {
                        return new FileFix.Result(item.input().name(), FileFix.Status.SKIPPED, List.of(),
                                List.of(item.input().name() + ": skipped: " + skip), "", 0, 0);
                    }
                    try {
                        return FileFix.run(item.input(), target, diffPath(cwd, item.input().path()),
                                settings.apply(item.input()), configured.apply(item.input()), mode);
                    } catch (RuntimeException | Error e) {
                        // One file's failure (a bug, a stack overflow, memory) never stops the others.
                        return new FileFix.Result(item.input().name(), FileFix.Status.FAILED, List.of(),
                                List.of(item.input().name() + INTERNAL + e), "", 0, 0);
                    }
                }));
            }
            List<FileFix.Result> results = new ArrayList<>();
            java.util.Set<Path> written = new java.util.LinkedHashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                FileFix.Result r = futures.get(i).get();
                List<String> removed = leftovers.remove(targets.get(i).toAbsolutePath().getParent());
                if (removed != null && !removed.isEmpty()) {
                    List<String> notes = new ArrayList<>(removed);
                    notes.addAll(r.notes());
                    r = new FileFix.Result(r.name(), r.status(), r.fixed(), notes, r.diff(),
                            r.remaining(), r.unsafe());
                }
                results.add(r);
                progress.accept(results.size());
                if (mode.write() && r.status() == FileFix.Status.CHANGED) {
                    written.add(targets.get(i).toAbsolutePath().getParent());
                }
            }
            // Each file was forced before its rename; the renames are forced once per directory.
            written.forEach(AtomicWrite::syncDirectory);
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The path a diff names: relative to {@code cwd} when the file is below it. */
    static String diffPath(Path cwd, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = cwd.toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }
}
