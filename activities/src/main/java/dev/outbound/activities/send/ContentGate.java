package dev.outbound.activities.send;

/**
 * Called right before the email's content is handed to the server (after its 354 to DATA). It
 * returns false, or throws, when the content must not go out (the claim is no longer this
 * attempt's, or that could not be recorded): the send is then aborted before the first byte of
 * content, and the server, which never sees the terminating ".", discards the transaction.
 */
@FunctionalInterface
public interface ContentGate {
  boolean open();
}
