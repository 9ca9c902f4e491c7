package dev.outbound.activities.send;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * <strong>For tests only.</strong> Halts the whole worker process ({@code Runtime.halt(137)}, like
 * a {@code kill -9}: no shutdown hooks, no finally blocks, no graceful drain) when a send reaches a
 * named point, so that the fault suite ({@code launcher/.../fault/FaultSuite}) can prove that a
 * crash at any point around a send neither loses the step nor sends it twice (docs/testing.md,
 * "Fault suite").
 *
 * <p>Off unless {@code outbound.fault.halt-at} is set, and nothing in production sets it: then
 * {@link #reached} compares one field with null and returns. When set, the process halts at the
 * {@code outbound.fault.halt-on-send}-th send attempt (default 1, counted in this process) that
 * reaches that point. Never set these properties outside a test.
 */
@Component
public class FaultInjection {

  /** Where a send can be halted, in the order a send passes them. */
  public enum HaltPoint {
    /** Everything checked and rendered; the ledger row not yet claimed. */
    BEFORE_CLAIM,
    /** The ledger row claimed ({@code SENDING}); nothing handed to SMTP yet. */
    AFTER_CLAIM,
    /** SMTP accepted the message; the ledger not yet marked sent. */
    AFTER_SMTP_ACCEPTED,
    /** The ledger marked sent (committed); the activity not yet completed in Temporal. */
    AFTER_COMMIT
  }

  /** Never halts: for code that builds the send activity without Spring. */
  public static final FaultInjection OFF = new FaultInjection(null, 1);

  private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);

  private final HaltPoint haltAt;
  private final int haltOnSend;
  private final AtomicInteger reachedCount = new AtomicInteger();

  public FaultInjection(
      @Value("${outbound.fault.halt-at:}") HaltPoint haltAt,
      @Value("${outbound.fault.halt-on-send:1}") int haltOnSend) {
    if (haltOnSend < 1) {
      throw new IllegalArgumentException(
          "outbound.fault.halt-on-send must be 1 or more, not " + haltOnSend);
    }
    this.haltAt = haltAt;
    this.haltOnSend = haltOnSend;
    if (haltAt != null) {
      log.warn(
          "FAULT INJECTION ON (tests only): this process halts at send attempt {} reaching {}",
          haltOnSend,
          haltAt);
    }
  }

  /** Whether this process may halt at all (false unless a test set {@code halt-at}). */
  public boolean enabled() {
    return haltAt != null;
  }

  /** Called by the send activity at each point; halts the process when the configured one fires. */
  public void reached(HaltPoint point) {
    if (haltAt != point) {
      return;
    }
    int count = reachedCount.incrementAndGet();
    if (count == haltOnSend) {
      log.error("FAULT INJECTION: halting the process at {} (send attempt {})", point, count);
      Runtime.getRuntime().halt(137);
    }
  }
}
