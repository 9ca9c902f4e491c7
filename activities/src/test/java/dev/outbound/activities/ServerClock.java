package dev.outbound.activities;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A UTC clock that reads another time source in epoch milliseconds: the time-skipping test server's
 * ({@code env::currentTimeMillis}), so that activities see the workflows' time.
 */
public final class ServerClock extends Clock {

  private final LongSupplier millis;

  public ServerClock(LongSupplier millis) {
    this.millis = millis;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.getAsLong());
  }
}
