package dev.outbound.activities.send;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server on a real socket, for the replies GreenMail cannot be made to give: a 5xx
 * or 4xx to a chosen command, or silence. Replies are looked up by command verb ({@code EHLO},
 * {@code MAIL}, {@code RCPT}, {@code DATA}, and {@code .} for the end of the content); a {@code
 * null} reply means "never answer", so the client runs into its read timeout, and {@link #CLOSE}
 * means "close the connection without a reply". Each client connection is served on its own thread
 * and counted, so tests can see whether the mailer reused one.
 */
final class FakeSmtpServer implements AutoCloseable {

  /** A reply that closes the connection instead of answering. */
  static final String CLOSE = "<close>";

  private final ServerSocket socket;
  private final Map<String, String> overrides;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<String> senders = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger delivered = new AtomicInteger();

  FakeSmtpServer(Map<String, String> overrides) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.overrides = Collections.synchronizedMap(new HashMap<>(overrides));
    Thread thread = new Thread(this::serve, "fake-smtp-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** The command verbs received so far, in order (content lines are not recorded). */
  List<String> commands() {
    return List.copyOf(commands);
  }

  /** The envelope senders (MAIL FROM arguments, e.g. {@code <a@b.test>}) so far, in order. */
  List<String> senders() {
    return List.copyOf(senders);
  }

  /** How many connections clients opened so far. */
  int connections() {
    return connections.get();
  }

  /** How many emails were accepted (a 250 to the end of the content). */
  int delivered() {
    return delivered.get();
  }

  /** Replies from now on with {@code reply} to {@code verb} (see the class comment). */
  void override(String verb, String reply) {
    overrides.put(verb, reply);
  }

  /** Replies from now on with the defaults. */
  void clearOverrides() {
    overrides.clear();
  }

  /**
   * Ends every open connection from the server's side, as a server does with idle ones: with {@code
   * goodbye} first (e.g. a 421), or silently when it is null.
   */
  void dropConnections(String goodbye) throws IOException {
    for (Socket client : open) {
      if (goodbye != null) {
        client.getOutputStream().write((goodbye + "\r\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
      }
      client.close();
    }
  }

  /**
   * Ends every open connection cleanly from the server's side (a FIN, as a server that closes idle
   * connections does), without a reply; the client reads end of stream at its next command.
   */
  void endConnections() throws IOException {
    for (Socket client : open) {
      client.shutdownOutput();
    }
  }

  private void serve() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return; // The server was closed.
      }
      connections.incrementAndGet();
      open.add(client);
      Thread thread =
          new Thread(
              () -> {
                try (client) {
                  talk(client);
                } catch (IOException e) {
                  // The client went away, or the test dropped the connection.
                } finally {
                  open.remove(client);
                }
              },
              "fake-smtp-client-" + connections.get());
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void talk(Socket client) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
    Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
    send(out, "220 fake.test ESMTP");
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
      commands.add(verb);
      if (verb.equals("MAIL")) {
        senders.add(line.substring(line.indexOf(':') + 1).trim().split(" ", 2)[0]);
      }
      String reply = reply(verb);
      if (reply != null && verb.equals("DATA") && reply.startsWith("354")) {
        send(out, reply);
        while ((line = in.readLine()) != null && !line.equals(".")) {
          // The content is not kept: the tests look at the conversation, not the email.
        }
        if (line == null) {
          // The client went away before the terminating ".": no email, nothing to record.
          return;
        }
        commands.add(".");
        reply = reply(".");
        if (reply != null && reply.startsWith("250")) {
          delivered.incrementAndGet();
        }
      }
      if (CLOSE.equals(reply)) {
        return;
      }
      if (reply == null) {
        // Silence: wait for the client to give up and close.
        while (in.readLine() != null) {}
        return;
      }
      send(out, reply);
      if (verb.equals("QUIT")) {
        return;
      }
    }
  }

  private String reply(String verb) {
    if (overrides.containsKey(verb)) {
      return overrides.get(verb);
    }
    return switch (verb) {
      case "DATA" -> "354 go ahead";
      case "." -> "250 2.0.0 queued";
      case "QUIT" -> "221 bye";
      default -> "250 fake.test";
    };
  }

  private static void send(Writer out, String reply) throws IOException {
    out.write(reply + "\r\n");
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket client : open) {
      client.close();
    }
  }
}
