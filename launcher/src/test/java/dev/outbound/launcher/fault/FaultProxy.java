package dev.outbound.launcher.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a worker process and a server (SMTP or PostgreSQL) that the fault suite can
 * take down and bring back: {@link #cut()} closes every open connection and refuses new ones (the
 * port is closed, as when the server is down), {@link #restore()} listens again on the same port.
 * {@link #slowDown(int)} delays what the client sends, so that sends are in flight long enough for
 * a SIGTERM to land in the middle of them.
 */
final class FaultProxy implements AutoCloseable {

  private final String name;
  private final int port;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;
  private volatile int delayMillis;

  private FaultProxy(String name, int port, int targetPort) {
    this.name = name;
    this.port = port;
    this.targetPort = targetPort;
  }

  /** Relays {@code localhost:port} to {@code localhost:targetPort}. */
  static FaultProxy start(String name, int port, int targetPort) throws IOException {
    FaultProxy proxy = new FaultProxy(name, port, targetPort);
    proxy.restore();
    return proxy;
  }

  int port() {
    return port;
  }

  /** Listens again (no-op when listening). */
  synchronized void restore() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = socket;
    Thread acceptor = new Thread(() -> accept(socket), name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The server is "down": open connections are reset and the port refuses new ones. */
  synchronized void cut() throws IOException {
    ServerSocket socket = server;
    server = null;
    if (socket != null) {
      socket.close();
    }
    for (Socket connection : open) {
      closeQuietly(connection);
    }
    open.clear();
  }

  /** Delays each chunk the client sends by {@code millis} (0: no delay). */
  void slowDown(int millis) {
    delayMillis = millis;
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return; // cut
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to, boolean delayed) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  int delay = delayMillis;
                  if (delayed && delay > 0) {
                    Thread.sleep(delay);
                  }
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (SocketException e) {
                // Closed by cut() or by the other side.
              } catch (IOException e) {
                // The connection broke; both ends are closed below.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            name + "-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: the socket is gone either way.
    }
  }
}
