package dev.outbound.crm.admin;

/** The client already has a mailbox with this email address. */
public class DuplicateMailboxException extends RuntimeException {

  public DuplicateMailboxException(String email) {
    super("a mailbox with the address " + email + " already exists");
  }
}
