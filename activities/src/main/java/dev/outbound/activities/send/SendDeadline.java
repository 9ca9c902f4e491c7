package dev.outbound.activities.send;

/**
 * The deadline of one send, run by the timer when it passes: it closes the sockets of the
 * connection the send is using then (a reused one, or the new one after a reconnect), which ends
 * any blocked read or write at once; a connection the send picks up after it passed is closed as it
 * is watched.
 */
final class SendDeadline implements Runnable {

  private TrackedSockets current;
  private boolean passed;

  synchronized void watch(TrackedSockets sockets) {
    current = sockets;
    if (passed) {
      sockets.closeAll();
    }
  }

  @Override
  public void run() {
    TrackedSockets sockets;
    synchronized (this) {
      passed = true;
      sockets = current;
    }
    if (sockets != null) {
      sockets.closeAll();
    }
  }

  synchronized boolean passed() {
    return passed;
  }
}
