package dev.virtlint.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Applies a function to many items on several threads and returns the results in the items' order. */
public final class InOrder {

    private InOrder() {
    }

    /** One item, or one job, runs on the calling thread: a one-file run starts no thread. */
    public static <T, R> List<R> map(List<T> items, int jobs, Function<T, R> f) {
        return map(items, jobs, f, (item, t) -> {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        });
    }

    /**
     * Like {@link #map(List, int, Function)}, but what {@code f} throws for one item (an exception,
     * or an Error such as StackOverflowError or OutOfMemoryError) becomes that item's result through
     * {@code failed}, so that one bad item never stops the others.
     */
    public static <T, R> List<R> map(List<T> items, int jobs, Function<T, R> f, BiFunction<T, Throwable, R> failed) {
        Function<T, R> safe = item -> {
            try {
                return f.apply(item);
            } catch (RuntimeException | Error e) {
                return failed.apply(item, e);
            }
        };
        if (items.size() < 2 || jobs < 2) {
            return items.stream().map(safe).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, items.size()), r -> {
            Thread t = new Thread(r, "virtlint-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> safe.apply(item)));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> future : futures) {
                out.add(future.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
