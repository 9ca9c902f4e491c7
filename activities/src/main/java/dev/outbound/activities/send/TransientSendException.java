package dev.outbound.activities.send;

/**
 * A send that failed for a reason that may pass (server unreachable, a 4xx reply, a timeout before
 * the content went out). Nothing was sent and the claim was released, so Temporal's retry may send.
 *
 * <p>It deliberately carries no cause: the underlying exceptions quote server replies, which can
 * echo the recipient's address, and a cause would travel into Temporal's history with its message.
 */
public class TransientSendException extends RuntimeException {

  public TransientSendException(String message) {
    super(message);
  }
}
