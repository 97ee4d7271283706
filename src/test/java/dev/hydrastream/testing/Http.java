package dev.hydrastream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP requests for tests of the service's endpoints. */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status code, content type and body. */
  public record Response(int status, String contentType, String body) {}

  private Http() {}

  public static Response get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** A request with any method (e.g. POST, DELETE) and no body. */
  public static Response request(String method, String url)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * GETs {@code url}, checks that the answer is a JSON error with {@code status} and returns its
   * {@code error} field.
   */
  public static String jsonError(String url, int status) throws IOException, InterruptedException {
    Response r = get(url);
    assertThat(r.status()).as(url).isEqualTo(status);
    assertThat(r.contentType()).as(url).startsWith("application/json");
    String error = Json.MAPPER.readTree(r.body()).path("error").asText();
    assertThat(error).as(url).isNotEmpty();
    return error;
  }

  private static Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpRequest request = b.timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> r;
    try {
      r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // A pooled keep-alive connection the server closed just before it was reused (Jetty closes
      // the connection after a 400): nothing came back on it. The JDK client retries that for GET
      // only; a POST or DELETE gets the one retry here, on a new connection.
      if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
        throw e;
      }
      r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
    return new Response(
        r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
  }
}
