package dev.outbound.crm.admin;

/**
 * Adding the leads would take a campaign past its client's cap on leads per campaign; nothing was
 * written.
 */
public class LeadCapExceededException extends RuntimeException {

  private final int cap;
  private final long current;
  private final long adding;

  public LeadCapExceededException(int cap, long current, long adding) {
    super(
        "the campaign holds "
            + current
            + " leads; adding "
            + adding
            + " would pass the cap of "
            + cap);
    this.cap = cap;
    this.current = current;
    this.adding = adding;
  }

  /** The most leads the campaign may hold. */
  public int cap() {
    return cap;
  }

  /** The leads the campaign holds now. */
  public long current() {
    return current;
  }

  /** The new leads the request would have added (after duplicates were taken out). */
  public long adding() {
    return adding;
  }
}
