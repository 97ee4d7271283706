package dev.hydrastream.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Kafka's own metrics (Kafka Streams and its clients, from {@code KafkaStreams.metrics()}) as
 * Prometheus gauges, read at scrape time: a fixed table of the ones operators need (process and
 * commit rates, commit latency, records lag, alive threads), renamed to {@code hydrastream_kafka_*}
 * with base units, Kafka's tags as labels.
 */
public final class KafkaMetricsBridge implements MultiCollector {

  /** One bridged metric: Kafka's group and name, our name, help and the factor to base units. */
  record Bridged(String group, String kafkaName, String name, String help, double scale) {}

  static final List<Bridged> TABLE =
      List.of(
          new Bridged(
              "stream-thread-metrics",
              "process-rate",
              "hydrastream_kafka_streams_process_rate",
              "Records processed per second, per stream thread",
              1),
          new Bridged(
              "stream-thread-metrics",
              "commit-rate",
              "hydrastream_kafka_streams_commit_rate",
              "Commits per second, per stream thread",
              1),
          new Bridged(
              "stream-thread-metrics",
              "commit-latency-avg",
              "hydrastream_kafka_streams_commit_latency_avg_seconds",
              "Mean commit duration, per stream thread",
              1e-3),
          new Bridged(
              "stream-thread-metrics",
              "commit-latency-max",
              "hydrastream_kafka_streams_commit_latency_max_seconds",
              "Longest commit duration, per stream thread",
              1e-3),
          new Bridged(
              "stream-thread-metrics",
              "poll-records-avg",
              "hydrastream_kafka_streams_poll_records_avg",
              "Mean records per poll, per stream thread",
              1),
          new Bridged(
              "stream-metrics",
              "alive-stream-threads",
              "hydrastream_kafka_streams_alive_stream_threads",
              "Stream threads alive",
              1),
          new Bridged(
              "stream-metrics",
              "failed-stream-threads",
              "hydrastream_kafka_streams_failed_stream_threads",
              "Stream threads that failed since start (each is replaced)",
              1),
          new Bridged(
              "consumer-fetch-manager-metrics",
              "records-lag",
              "hydrastream_kafka_consumer_records_lag",
              "Records behind the end of the partition, per consumer and partition",
              1),
          new Bridged(
              "consumer-fetch-manager-metrics",
              "records-lag-max",
              "hydrastream_kafka_consumer_records_lag_max",
              "Largest records lag over the consumer's partitions (recent window)",
              1),
          new Bridged(
              "producer-metrics",
              "record-send-rate",
              "hydrastream_kafka_producer_record_send_rate",
              "Records sent per second, per producer",
              1));

  private final Supplier<Map<MetricName, ? extends Metric>> source;

  /** Bridges the metrics {@code source} returns (e.g. {@code kafkaStreams::metrics}). */
  public KafkaMetricsBridge(Supplier<Map<MetricName, ? extends Metric>> source) {
    this.source = source;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, Bridged> byKey = new LinkedHashMap<>();
    TABLE.forEach(b -> byKey.put(b.group() + "/" + b.kafkaName(), b));
    Map<String, List<GaugeSnapshot.GaugeDataPointSnapshot>> points = new TreeMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : source.get().entrySet()) {
      MetricName n = e.getKey();
      Bridged b = byKey.get(n.group() + "/" + n.name());
      if (b == null || !(e.getValue().metricValue() instanceof Number v) || skip(b, n)) {
        continue;
      }
      Labels.Builder labels = Labels.builder();
      new TreeMap<>(n.tags()).forEach((k, val) -> labels.label(labelName(k), val));
      points
          .computeIfAbsent(b.name(), k -> new ArrayList<>())
          .add(
              GaugeSnapshot.GaugeDataPointSnapshot.builder()
                  .value(v.doubleValue() * b.scale())
                  .labels(labels.build())
                  .build());
    }
    List<MetricSnapshot> out = new ArrayList<>();
    for (Bridged b : TABLE) {
      List<GaugeSnapshot.GaugeDataPointSnapshot> ps = points.get(b.name());
      if (ps == null) {
        continue;
      }
      GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(b.name()).help(b.help());
      distinct(ps).forEach(g::dataPoint);
      out.add(g.build());
    }
    return new MetricSnapshots(out);
  }

  /**
   * One series per label set: Kafka reports per-partition fetch metrics twice, under the topic name
   * and under a legacy tag with the dots replaced by underscores (the legacy one is dropped), and a
   * re-created client can repeat a tag set (the last is kept).
   */
  static List<GaugeSnapshot.GaugeDataPointSnapshot> distinct(
      List<GaugeSnapshot.GaugeDataPointSnapshot> ps) {
    Set<String> legacy = new java.util.HashSet<>();
    for (GaugeSnapshot.GaugeDataPointSnapshot p : ps) {
      String topic = p.getLabels().get("topic");
      if (topic != null && topic.contains(".")) {
        legacy.add(topic.replace('.', '_'));
      }
    }
    Map<Labels, GaugeSnapshot.GaugeDataPointSnapshot> m = new LinkedHashMap<>();
    for (GaugeSnapshot.GaugeDataPointSnapshot p : ps) {
      if (!legacy.contains(p.getLabels().get("topic"))) {
        m.put(p.getLabels(), p);
      }
    }
    return new ArrayList<>(m.values());
  }

  /** The lag maximum is also reported per partition; the per-consumer one is kept. */
  private static boolean skip(Bridged b, MetricName n) {
    return b.kafkaName().equals("records-lag-max") && n.tags().containsKey("topic");
  }

  @Override
  public List<String> getPrometheusNames() {
    return TABLE.stream().map(Bridged::name).toList();
  }

  /** Every metric name this bridge can expose. */
  public static Set<String> names() {
    return Set.copyOf(TABLE.stream().map(Bridged::name).toList());
  }

  private static String labelName(String tag) {
    return tag.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
