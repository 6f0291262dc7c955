package dev.runnel.server.partition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wakes readers waiting for new data: each apply completes the current future and installs a fresh
 * one, so a waiter costs one future and no thread.
 */
final class AppendSignal {
  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());

  CompletableFuture<Void> next() {
    return next.get();
  }

  void signal() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
