package dev.outbound.crm.capacity;

/**
 * No slot satisfies the mailbox's caps, gap, the domain limit and the lead's window within the
 * search horizon ({@link MailboxCapacityStore#HORIZON}). The caller should try again later (the
 * backlog moves on as days pass) rather than fail the lead.
 */
public class CapacityExhaustedException extends RuntimeException {

  public CapacityExhaustedException(String message) {
    super(message);
  }
}
