package dev.outbound.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

  private final AtomicLong now = new AtomicLong();
  private final TokenBuckets buckets = new TokenBuckets(2, 60, now::get);

  @Test
  void allowsTheBurstThenSaysHowLongUntilTheNextToken() {
    assertThat(buckets.take(1)).isZero();
    assertThat(buckets.take(1)).isZero();
    long wait = buckets.take(1);
    assertThat(wait).isEqualTo(TimeUnit.SECONDS.toNanos(1));

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(buckets.take(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(buckets.take(1)).isZero();
  }

  @Test
  void keepsOneBucketPerKeyAndNeverFillsBeyondTheBurst() {
    buckets.take(1);
    buckets.take(1);
    assertThat(buckets.take(2)).isZero();

    now.addAndGet(TimeUnit.HOURS.toNanos(1));
    assertThat(buckets.take(1)).isZero();
    assertThat(buckets.take(1)).isZero();
    assertThat(buckets.take(1)).isPositive();
  }
}
