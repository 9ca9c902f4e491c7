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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server on a real socket, for the replies GreenMail cannot be made to give: a 5xx
 * or 4xx to a chosen command, or silence. Replies are looked up by command verb ({@code EHLO},
 * {@code MAIL}, {@code RCPT}, {@code DATA}, and {@code .} for the end of the content); a {@code
 * null} reply means "never answer", so the client runs into its read timeout.
 */
final class FakeSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final Map<String, String> overrides;
  private final List<String> commands = new CopyOnWriteArrayList<>();

  FakeSmtpServer(Map<String, String> overrides) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.overrides = overrides;
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

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        talk(client);
      } catch (IOException e) {
        // The server was closed, or a client went away; either way, on to the next one.
      }
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
  }
}
