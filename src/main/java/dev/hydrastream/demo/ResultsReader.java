package dev.hydrastream.demo;

import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A results consumer for the demo and benchmarks: reads every result topic, the events and alerts
 * and the dead-letter topic with {@code read_committed} (what a downstream consumer sees), counts
 * records and distinct frame ids per topic, and measures capture-to-result latency as receipt time
 * minus the frame's {@code capture_ts} header — the end-to-end figure, commit interval included.
 */
public final class ResultsReader implements AutoCloseable {

  /**
   * What was read so far; {@code latenciesMillis} sorted ascending.
   *
   * @param telemetryStatus events by telemetry status
   * @param telemetryMissingAfterFirstSecond events without joined telemetry (any status but OK)
   *     captured more than one second after the first event's capture time
   * @param alertsByRule alerts by rule id
   */
  public record Summary(
      Map<String, Long> records,
      Map<String, Integer> distinctFrames,
      long deadLetters,
      Map<String, Long> deadLetterReasons,
      long[] latenciesMillis,
      Map<String, Long> telemetryStatus,
      long telemetryMissingAfterFirstSecond,
      Map<String, Long> alertsByRule) {

    /** The q-quantile (0..1) of the end-to-end latency, or NaN without data. */
    public double latencyQuantile(double q) {
      return quantile(latenciesMillis, q);
    }
  }

  /** The q-quantile (0..1, nearest rank) of {@code sorted} (ascending), or NaN if it is empty. */
  public static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topics topics;
  private final Thread thread;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, Long> records = new HashMap<>();
  private final Map<String, Set<String>> frames = new HashMap<>();
  private final Map<String, Long> reasons = new HashMap<>();
  private final List<Long> latencies = new ArrayList<>();

  /** The capture time of each entry of {@code latencies}. */
  private final List<Long> captures = new ArrayList<>();

  private final Map<String, Long> statuses = new HashMap<>();
  private final List<Long> missingAt = new ArrayList<>();
  private long firstEventTs = Long.MAX_VALUE;
  private final Map<String, Long> rules = new HashMap<>();
  private final Set<String> resultTopics = new HashSet<>();
  private final ModelSwitches.Answers answers = new ModelSwitches.Answers();
  private long deadLetters;

  /** Starts reading from the beginning of the topics. */
  public ResultsReader(String bootstrap, Topics topics, String group) {
    this.topics = topics;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<String> names = new ArrayList<>();
    topics.results().forEach(t -> names.add(t.name()));
    resultTopics.addAll(names);
    names.add(topics.events().name());
    names.add(topics.alerts().name());
    names.add(topics.dlq().name());
    names.add(topics.shadow().name());
    consumer.subscribe(names);
    thread = new Thread(this::loop, "hydra-results-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stop.get()) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        long now = System.currentTimeMillis();
        synchronized (this) {
          records.merge(r.topic(), 1L, Long::sum);
          if (r.topic().equals(topics.dlq().name())) {
            deadLetters++;
            String reason = HeaderNames.read(r.headers(), HeaderNames.DLQ_REASON);
            reasons.merge(reason == null ? "UNKNOWN" : reason, 1L, Long::sum);
            continue;
          }
          if (r.topic().equals(topics.alerts().name())) {
            String rule = HeaderNames.read(r.headers(), HeaderNames.RULE_ID);
            rules.merge(rule == null ? "UNKNOWN" : rule, 1L, Long::sum);
            continue;
          }
          if (r.topic().equals(topics.events().name())) {
            event(r);
          }
          String id = HeaderNames.read(r.headers(), HeaderNames.FRAME_ID);
          frames.computeIfAbsent(r.topic(), k -> new HashSet<>()).add(id);
          if (resultTopics.contains(r.topic())) {
            answers.answer(id, model(r));
          }
          if (r.topic().equals(topics.frames().name())) {
            String camera = HeaderNames.read(r.headers(), HeaderNames.CAMERA_ID);
            answers.received(
                camera != null ? camera : new String(r.key(), StandardCharsets.UTF_8), now);
            String ts = HeaderNames.read(r.headers(), HeaderNames.CAPTURE_TS);
            if (ts != null) {
              long capture = Long.parseLong(ts);
              latencies.add(now - capture);
              captures.add(capture);
            }
          }
        }
      }
    }
    consumer.close(Duration.ofSeconds(5));
  }

  /** The model a result names in its lineage headers ({@code name@version}). */
  private static String model(ConsumerRecord<byte[], byte[]> r) {
    return HeaderNames.read(r.headers(), HeaderNames.MODEL_NAME)
        + "@"
        + HeaderNames.read(r.headers(), HeaderNames.MODEL_VERSION);
  }

  private void event(ConsumerRecord<byte[], byte[]> r) {
    String status = HeaderNames.read(r.headers(), HeaderNames.TELEMETRY_STATUS);
    statuses.merge(status == null ? "UNKNOWN" : status, 1L, Long::sum);
    String ts = HeaderNames.read(r.headers(), HeaderNames.CAPTURE_TS);
    long capture = ts == null ? r.timestamp() : Long.parseLong(ts);
    firstEventTs = Math.min(firstEventTs, capture);
    if (!"OK".equals(status)) {
      missingAt.add(capture);
    }
  }

  /** Distinct frames seen on {@code topic} so far (cheap: no snapshot). */
  public synchronized int distinctFrames(String topic) {
    Set<String> s = frames.get(topic);
    return s == null ? 0 : s.size();
  }

  /** The capture time of the earliest fused result so far, or {@code Long.MAX_VALUE}. */
  public synchronized long firstCaptureTs() {
    return captures.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
  }

  /**
   * The latencies of the fused results captured at or after {@code captureTs}, in milliseconds,
   * sorted ascending.
   */
  public synchronized long[] latenciesCapturedFrom(long captureTs) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < latencies.size(); i++) {
      if (captures.get(i) >= captureTs) {
        out.add(latencies.get(i));
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Which model answered each frame, and when each camera's fused results arrived. */
  ModelSwitches.Answers answers() {
    return answers;
  }

  /** Dead letters seen so far. */
  public synchronized long deadLetters() {
    return deadLetters;
  }

  /** How many distinct frame ids read on {@code topic} {@code which} accepts. */
  public synchronized long framesMatching(
      String topic, java.util.function.Predicate<String> which) {
    return frames.getOrDefault(topic, Set.of()).stream().filter(which).count();
  }

  /** A snapshot of the counts so far. */
  public synchronized Summary summary() {
    Map<String, Integer> distinct = new HashMap<>();
    frames.forEach((k, v) -> distinct.put(k, v.size()));
    long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Summary(
        Map.copyOf(records),
        Collections.unmodifiableMap(distinct),
        deadLetters,
        Map.copyOf(reasons),
        lat,
        Map.copyOf(statuses),
        missingAt.stream().filter(t -> t > firstEventTs + 1_000).count(),
        Map.copyOf(rules));
  }

  @Override
  public void close() {
    stop.set(true);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
