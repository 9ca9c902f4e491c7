package dev.outbound.crm.admin;

import java.util.List;

/**
 * Some mailbox IDs of a new campaign do not name a mailbox of the client. IDs of another client are
 * reported exactly like IDs that do not exist, so the message never reveals another client's data.
 */
public class UnknownMailboxesException extends RuntimeException {

  private final List<Long> ids;

  public UnknownMailboxesException(List<Long> ids) {
    super("unknown mailbox IDs: " + ids);
    this.ids = List.copyOf(ids);
  }

  public List<Long> ids() {
    return ids;
  }
}
