package dev.outbound.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST API as the end-to-end and fault tests call it: JSON over HTTP with one client's key. */
public final class ApiCalls {

  private final String base;
  private final String apiKey;
  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param base the API's base URL, e.g. {@code http://localhost:8080/api/v1}
   * @param apiKey the client's API key
   */
  public ApiCalls(String base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** POSTs {@code body} (or nothing) and asserts the status; returns the JSON answer. */
  public JsonNode post(String path, Object body, int expected) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("POST " + path + ": " + response.body())
        .isEqualTo(expected);
    return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
  }

  /** GETs {@code path}, asserts 200 and returns the JSON answer. */
  public JsonNode get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + apiKey)
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  /** A TCP port that was free a moment ago, for an embedded part of a test. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
