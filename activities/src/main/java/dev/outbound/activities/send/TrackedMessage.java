package dev.outbound.activities.send;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * A message whose Message-ID is the claimed one (Jakarta Mail would otherwise mint a random one in
 * {@code saveChanges}), which asks its {@link ContentGate} before its content is written to the
 * server, and which notes when its content has been written.
 */
final class TrackedMessage extends SMTPMessage {

  private final String messageId;
  private final ContentGate gate;
  private volatile boolean gateAsked;
  private volatile String veto;
  private volatile boolean contentWritten;

  TrackedMessage(Session session, String messageId, ContentGate gate) {
    super(session);
    this.messageId = messageId;
    this.gate = gate;
  }

  @Override
  protected void updateMessageID() throws MessagingException {
    setHeader("Message-ID", messageId);
  }

  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
    if (!gateAsked) {
      gateAsked = true;
      boolean open;
      try {
        open = gate.open();
      } catch (RuntimeException e) {
        veto = "the claim could not be confirmed (" + e.getClass().getSimpleName() + ")";
        throw new IOException(veto);
      }
      if (!open) {
        veto = "the claim is no longer this attempt's";
        throw new IOException(veto);
      }
    }
    super.writeTo(os, ignoreList);
    contentWritten = true;
  }

  /** Why the gate held the content back, or null. */
  String veto() {
    return veto;
  }

  boolean contentWritten() {
    return contentWritten;
  }

  /** Whether the gate was asked, i.e. the server had said 354 and the content was next. */
  boolean gateAsked() {
    return gateAsked;
  }
}
