package dev.outbound.activities.send;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * Creates the plain sockets of one connection (Jakarta Mail layers TLS over them itself) and closes
 * them all on demand, from any thread; a socket created after {@link #closeAll} is closed at once.
 */
final class TrackedSockets extends SocketFactory {

  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  @Override
  public Socket createSocket() throws IOException {
    return track(new Socket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return track(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return track(new Socket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return track(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return track(new Socket(address, port, localAddress, localPort));
  }

  private Socket track(Socket socket) throws IOException {
    sockets.add(socket);
    if (closed) {
      socket.close();
      throw new SocketException("the send deadline passed");
    }
    return socket;
  }

  /**
   * Whether the connection may still be usable, judged without a round trip: not closed by us, and
   * nothing unasked-for waiting to be read. A server that ends an idle connection often says so
   * first (421), and a TLS peer sends close_notify; both leave bytes here. A connection the server
   * closed silently passes this check and fails on its next command instead, which the mailer
   * handles (see {@link SmtpMailer#closedWhileIdle}). NOOP would catch that one too, but costs a
   * round trip on every email.
   */
  boolean looksOpen() {
    if (closed || sockets.isEmpty()) {
      return false;
    }
    try {
      for (Socket socket : sockets) {
        if (socket.isClosed() || socket.getInputStream().available() > 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Makes every blocking read give up after {@code millis}. Reads go to these plain sockets even
   * with TLS layered over them, so this bounds the wait for the reply to QUIT.
   */
  void shortenReads(int millis) {
    for (Socket socket : sockets) {
      try {
        socket.setSoTimeout(millis);
      } catch (SocketException ignored) {
        // Already closed: nothing left to wait for.
      }
    }
  }

  void closeAll() {
    closed = true;
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing is all this wants; a socket that fails to close is closed enough.
      }
    }
  }
}
