package dev.hydrastream.bench;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.admin.TopicAdmin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as operators run it ({@code hydrastream run --config FILE}) in a JVM of its own,
 * started from this JVM's classpath: a bench measures that process alone, apart from the broker,
 * the producer and the reader that load this one. Its output goes to a log file; it is ready when
 * it prints {@code hydrastream RUNNING}, which names its HTTP address. The kill tests start the
 * service through it too ({@code testing/ServiceProcess}).
 *
 * @param process its operating system process
 * @param log the file its output goes to
 * @param url its HTTP server, e.g. {@code http://127.0.0.1:41234/}
 */
public record ServiceChild(Process process, Path log, String url) implements AutoCloseable {

  /** The JVM flags a bench's service runs with (the launcher's, with a 2 GB heap). */
  public static final List<String> JVM_OPTIONS =
      List.of("-Xmx2g", "-XX:+UseParallelGC", "-XX:MetaspaceSize=256m", "-Djava.awt.headless=true");

  private static final Pattern RUNNING = Pattern.compile("^hydrastream RUNNING.* http (\\S+)$");

  /**
   * How a bench starts a service of its own: creates the service topics of {@code settings}, writes
   * them as {@code work/service-NAME.properties} and starts {@code run --config} on that file with
   * {@code jvmOptions} (its output in {@code work/service-NAME.log}), waiting up to 3 minutes for
   * it to be RUNNING.
   */
  public static ServiceChild start(
      Settings settings, String name, Path work, List<String> jvmOptions)
      throws IOException, InterruptedException {
    TopicAdmin.createServiceTopics(settings);
    Path config = work.resolve("service-" + name + ".properties");
    writeProperties(settings, config);
    return start(
        config, work.resolve("service-" + name + ".log"), jvmOptions, Duration.ofMinutes(3));
  }

  /** Writes {@code s} as the properties file {@code run --config} reads. */
  static void writeProperties(Settings s, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    s.originals().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    s.kafkaOverrides()
        .forEach(
            (k, v) ->
                sb.append(Settings.KAFKA_PREFIX).append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb.toString());
  }

  /**
   * Starts {@code run --config config} with {@code jvmOptions} and waits up to {@code timeout} for
   * it to be RUNNING.
   */
  public static ServiceChild start(Path config, Path log, List<String> jvmOptions, Duration timeout)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    String home = System.getProperty(Settings.HOME_PROPERTY);
    if (home != null) {
      cmd.add("-D" + Settings.HOME_PROPERTY + "=" + home);
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.hydrastream.cli.Main",
            "run",
            "--config",
            config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
    Process p = pb.start();
    CompletableFuture<String> running = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  Writer out = Files.newBufferedWriter(log)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  out.write(line + "\n");
                  out.flush();
                  Matcher m = RUNNING.matcher(line);
                  if (m.matches()) {
                    running.complete(m.group(1));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              running.complete(null);
            },
            "hydra-bench-service-log");
    pump.setDaemon(true);
    pump.start();
    String url;
    try {
      url = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      url = null;
    }
    if (url == null) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "the service did not reach RUNNING within " + timeout + "; its log: " + log);
    }
    return new ServiceChild(p, log, url);
  }

  /**
   * The body of {@code GET path} on its HTTP server (e.g. {@code metrics}, {@code api/shadow}).
   *
   * @throws IllegalStateException naming the path when it does not answer 200
   */
  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /**
   * CPU time (user + system) its process has used so far, as the OS accounts it (clock ticks, 10 ms
   * on Linux); zero where the OS does not say.
   */
  Duration cpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Stops it cleanly (SIGTERM), forcibly after a minute. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
