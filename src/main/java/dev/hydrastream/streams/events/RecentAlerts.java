package dev.hydrastream.streams.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.JsonCodec;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's view of {@code perception.alerts}: the newest {@link #CAPACITY} alerts (by
 * capture time) and the number of alerts by rule and vehicle. It is fed by a {@code read_committed}
 * consumer of every partition of the topic ({@link #read}), so it shows exactly what downstream
 * consumers see: only committed alerts (an aborted transaction's alerts never appear, a
 * re-processed frame's alert appears once), and the whole fleet's alerts on every instance. On
 * start it reads back {@link #LOOKBACK} of history; counts cover what it has read since then.
 */
public final class RecentAlerts implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RecentAlerts.class);

  /** Most alerts kept (the oldest by capture time leave first). */
  public static final int CAPACITY = 500;

  /** How far back the reader starts (by record timestamp) when the service starts. */
  public static final Duration LOOKBACK = Duration.ofHours(1);

  /** Order of the kept alerts: capture time, then frame, then rule (a rule fires once a frame). */
  private record Key(long captureTs, String frameId, String ruleId) {}

  private static final Comparator<Key> ORDER =
      Comparator.comparingLong(Key::captureTs)
          .thenComparing(Key::frameId)
          .thenComparing(Key::ruleId);

  private final boolean enabled;
  private final long sinceTs;
  private final TreeMap<Key, JsonNode> recent = new TreeMap<>(ORDER);
  private final Map<String, Map<String, Long>> countsByVehicle = new TreeMap<>();
  private final Map<String, String> severityByRule = new HashMap<>();
  private final AtomicLong version = new AtomicLong();
  private long unreadable;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean closed;
  private Thread thread;

  private RecentAlerts(boolean enabled, long sinceTs) {
    this.enabled = enabled;
    this.sinceTs = sinceTs;
  }

  /** An empty view fed by {@link #add} only (tests; no consumer). */
  public static RecentAlerts inMemory() {
    return new RecentAlerts(true, System.currentTimeMillis());
  }

  /** The view when the alert rules do not run ({@code telemetry.enabled=false}): always empty. */
  public static RecentAlerts off() {
    return new RecentAlerts(false, System.currentTimeMillis());
  }

  /**
   * Starts reading {@code perception.alerts} ({@code read_committed}, every partition, no consumer
   * group) from {@link #LOOKBACK} ago; the topic must exist.
   */
  public static RecentAlerts read(Settings settings) {
    long since = System.currentTimeMillis() - LOOKBACK.toMillis();
    RecentAlerts r = new RecentAlerts(true, since);
    String topic = Topics.of(settings).alerts().name();
    Map<String, Object> conf = new HashMap<>(settings.kafkaOverrides());
    conf.keySet().retainAll(ConsumerConfig.configNames());
    conf.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS)));
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        settings.getString(Settings.APPLICATION_ID) + "-dashboard-alerts");
    conf.remove(ConsumerConfig.GROUP_ID_CONFIG);
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(parts);
      Map<TopicPartition, Long> at = new HashMap<>();
      parts.forEach(p -> at.put(p, since));
      Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(at, Duration.ofSeconds(30));
      for (TopicPartition p : parts) {
        OffsetAndTimestamp o = found.get(p);
        if (o == null) {
          c.seekToEnd(List.of(p));
        } else {
          c.seek(p, o.offset());
        }
      }
    } catch (RuntimeException e) {
      c.close(Duration.ZERO);
      throw new IllegalStateException("cannot read " + topic + ": " + e.getMessage(), e);
    }
    r.consumer = c;
    r.thread = new Thread(r::loop, "hydra-dashboard-alerts");
    r.thread.setDaemon(true);
    r.thread.start();
    return r;
  }

  private void loop() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    try {
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          add(r.value());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.warn("the dashboard's alerts reader stopped: {}", e.toString());
    } finally {
      c.close(Duration.ofSeconds(5));
    }
  }

  /** Adds an alert as written to the topic (Avro single-object encoding or JSON). */
  public void add(byte[] value) {
    JsonNode alert;
    try {
      alert =
          value.length > 0 && value[0] == '{'
              ? Decoded.decodeJson(value)
              : JsonCodec.toTree(Decoded.decodeAvro(value, PerceptionAlert.class));
    } catch (RuntimeException e) {
      synchronized (this) {
        if (unreadable++ % 100 == 0) {
          LOG.warn(
              "unreadable alert on the dashboard's reader ({} so far): {}",
              unreadable,
              e.toString());
        }
      }
      return;
    }
    add(alert);
  }

  /** Adds an alert (the JSON of a {@code PerceptionAlert}). */
  public synchronized void add(JsonNode alert) {
    String rule = alert.path("rule_id").asText();
    Key k = new Key(alert.path("capture_ts").asLong(), alert.path("frame_id").asText(), rule);
    recent.put(k, alert);
    if (recent.size() > CAPACITY) {
      recent.pollFirstEntry();
    }
    countsByVehicle
        .computeIfAbsent(vehicle(alert), v -> new TreeMap<>())
        .merge(rule, 1L, Long::sum);
    severityByRule.put(rule, alert.path("severity").asText());
    version.incrementAndGet();
  }

  private static String vehicle(JsonNode alert) {
    JsonNode v = alert.path("vehicle_id");
    return v.isTextual() ? v.asText() : "";
  }

  /** Changes with every alert added (for pushing updates only when there are new alerts). */
  public long version() {
    return version.get();
  }

  /**
   * The {@code /api/alerts} document: the newest {@code limit} alerts (of {@code vehicle}, or all
   * when null), newest first, and the counts by rule (of that vehicle, or all).
   */
  public synchronized ObjectNode document(String vehicle, int limit) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("enabled", enabled);
    if (vehicle != null) {
      n.put("vehicle_id", vehicle);
    }
    n.put("since_ts", sinceTs);
    n.put("capacity", CAPACITY);
    Map<String, Long> counts = new TreeMap<>();
    countsByVehicle.forEach(
        (v, byRule) -> {
          if (vehicle == null || vehicle.equals(v)) {
            byRule.forEach((rule, c) -> counts.merge(rule, c, Long::sum));
          }
        });
    n.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
    ObjectNode byRule = n.putObject("by_rule");
    counts.forEach(
        (rule, c) -> {
          ObjectNode r = byRule.putObject(rule);
          r.put("severity", severityByRule.get(rule));
          r.put("count", c);
        });
    ArrayNode list = n.putArray("alerts");
    for (JsonNode a : recent.descendingMap().values()) {
      if (list.size() >= limit) {
        break;
      }
      if (vehicle == null || vehicle.equals(vehicle(a))) {
        list.add(a);
      }
    }
    return n;
  }

  @Override
  public void close() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      closed = true;
      c.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
