package dev.outbound.api.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (an API key's ID): {@code capacity} tokens, refilled continuously at
 * {@code perMinute} tokens a minute. A request takes one token or is told how long until one is
 * there. The clock is a nanosecond supplier so tests can move it.
 */
final class TokenBuckets {

  private final double capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(int capacity, int perMinute, LongSupplier nanoTime) {
    this.capacity = capacity;
    this.tokensPerNano = perMinute / 60e9;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes a token from {@code key}'s bucket.
   *
   * @return 0 when the request may go ahead, else the nanoseconds until a token is available
   */
  long take(long key) {
    return buckets.computeIfAbsent(key, k -> new Bucket(capacity, nanoTime.getAsLong())).take();
  }

  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized long take() {
      long now = nanoTime.getAsLong();
      tokens = Math.min(capacity, tokens + (now - updated) * tokensPerNano);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }
  }
}
