package dev.hydrastream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.inference.Prediction;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus and Grafana files in {@code deploy/} against the code: every metric name a rule or
 * a dashboard panel uses is one our registry exposes, and Prometheus' own checker accepts the
 * scrape config and the rules (when Debian's {@code promtool} is installed, as {@code .ci/run}
 * does).
 */
public class DeployFilesTest {

  static final Path PROMETHEUS = Path.of("deploy/prometheus");
  static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/hydrastream.json");
  static final Pattern METRIC = Pattern.compile("\\b((?:hydrastream|jvm|process)_[a-z0-9_]+)\\b");

  /**
   * Every series name our registry exposes, with each metric type's suffixes (also for deploy/k8s).
   */
  public static Set<String> exposedNames() throws Exception {
    ServiceMetrics m = ServiceMetrics.create();
    m.readiness(() -> true);
    m.model("n", "1", "cpu", "1x1", "auto");
    Perception.Attribute a = new Perception.Attribute("clear", 1, Map.of("clear", 1.0));
    m.received("cam", 0, 1);
    List<DetectedObject> car = List.of(new DetectedObject("car", new Box(0, 0, 1, 1), 1));
    m.perceived(
        0,
        new Prediction(new Perception(a, a, a, car, null, ModelIdentity.of("n", "1")), 0, 0, 1, 1),
        2);
    m.frameCommitted(0, 0, 1, 1);
    m.resultsCommitted("fused", 1);
    m.deadLetterCommitted("EMPTY");
    m.alertCommitted("r", "INFO");
    m.batch(1, 1);
    Map<MetricName, Metric> kafka = new java.util.HashMap<>();
    for (KafkaMetricsBridge.Bridged b : KafkaMetricsBridge.TABLE) {
      ServiceMetricsTest.put(kafka, b.kafkaName(), b.group(), 1.0, Map.of("client-id", "c"));
    }
    m.registry().register(new KafkaMetricsBridge(() -> kafka));
    Set<String> names = new TreeSet<>();
    for (String line : ServiceMetricsTest.scrape(m).split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String name = line.split("[{ ]", 2)[0];
        names.add(name);
        if (name.endsWith("_bucket")) {
          names.add(name.substring(0, name.length() - "_bucket".length())); // the family
        }
      }
    }
    return names;
  }

  static List<String> expressions() throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(PROMETHEUS.resolve("rules.yml"))) {
      if (!line.trim().startsWith("#")) {
        out.add(line);
      }
    }
    JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        out.add(t.path("expr").asText());
      }
    }
    return out;
  }

  @Test
  void everyMetricUsedByTheRulesAndTheDashboardExists() throws Exception {
    Set<String> exposed = exposedNames();
    Set<String> used = new TreeSet<>();
    for (String e : expressions()) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertThat(used).as("metric names in deploy/").hasSizeGreaterThan(15);
    assertThat(exposed).containsAll(used);
  }

  @Test
  void dashboardHasThePanelsTheIssueAsksFor() throws Exception {
    JsonNode d = Json.MAPPER.readTree(DASHBOARD.toFile());
    List<String> titles = new ArrayList<>();
    d.path("panels").forEach(p -> titles.add(p.path("title").asText().toLowerCase()));
    assertThat(String.join("|", titles))
        .contains("throughput")
        .contains("latency by stage")
        .contains("capture-to-result latency")
        .contains("batch size")
        .contains("dead letters by reason")
        .contains("lag")
        .contains("detections per class")
        .contains("weather mix")
        .contains("time-of-day mix")
        .contains("scene mix");
  }

  @Test
  void promtoolAcceptsTheConfigAndTheRules() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool), "Debian's prometheus is not installed");
    for (List<String> args :
        List.of(
            List.of("check", "config", PROMETHEUS.resolve("prometheus.yml").toString()),
            List.of("check", "rules", PROMETHEUS.resolve("rules.yml").toString()))) {
      List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
      assertThat(out).contains("SUCCESS");
    }
  }
}
