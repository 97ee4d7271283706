package dev.hydrastream.streams;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Corrupt;
import dev.hydrastream.testing.StateDirs;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** Producers, consumers and inputs shared by the streaming tests. */
final class StreamFixtures {

  private StreamFixtures() {}

  /**
   * A {@link TopologyTestDriver} of {@code topology} with the streams configuration of {@code
   * settings} and a fresh state directory ({@link StateDirs#fresh}).
   */
  static TopologyTestDriver driver(Topology topology, Settings settings) {
    Properties p = PerceptionTopology.streamsConfig(settings);
    p.put(StreamsConfig.STATE_DIR_CONFIG, StateDirs.fresh());
    return new TopologyTestDriver(topology, p);
  }

  /** The driver's input topic of camera frames (string keys, byte values). */
  static TestInputTopic<String, byte[]> frameInput(TopologyTestDriver driver, Topics topics) {
    return driver.createInputTopic(
        topics.cameraFrames().name(), new StringSerializer(), new ByteArraySerializer());
  }

  /** An Avro CameraFrame value. */
  static byte[] avroFrame(String camera, long seq, long captureTs, byte[] jpeg) {
    return avroFrame(camera, seq, captureTs, jpeg, "veh-" + camera);
  }

  /** An Avro CameraFrame value of a camera on {@code vehicle}. */
  static byte[] avroFrame(String camera, long seq, long captureTs, byte[] jpeg, String vehicle) {
    return dev.hydrastream.testing.Malformed.avroFrame(camera, vehicle, seq, captureTs, jpeg);
  }

  /** The six kinds of corrupt input of the issue, cycled by {@code i}; name first. */
  static Map.Entry<DlqReason, byte[]> corrupt(int i, byte[] goodJpeg) {
    return switch (i % 7) {
      case 0 ->
          Map.entry(DlqReason.TRUNCATED, java.util.Arrays.copyOf(goodJpeg, goodJpeg.length / 2));
      case 1 -> {
        byte[] b = new byte[4096];
        new java.util.Random(i).nextBytes(b);
        b[0] = 0x42; // not C3 (Avro), FF (JPEG) or 89 (PNG)
        yield Map.entry(DlqReason.UNSUPPORTED_FORMAT, b);
      }
      case 2 -> Map.entry(DlqReason.UNSUPPORTED_FORMAT, Corrupt.tiff());
      case 3 -> Map.entry(DlqReason.EMPTY, new byte[0]);
      case 4 -> Map.entry(DlqReason.UNSUPPORTED_FORMAT, new byte[1024]);
      case 5 -> Map.entry(DlqReason.TOO_MANY_PIXELS, Corrupt.hugePng(100_000, 100_000));
      default -> {
        byte[] b = new byte[64];
        b[0] = (byte) 0xC3;
        b[1] = 0x01;
        for (int k = 2; k < 10; k++) {
          b[k] = (byte) (0x5A + k);
        }
        yield Map.entry(DlqReason.UNKNOWN_SCHEMA, b);
      }
    };
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  static ProducerRecord<String, byte[]> raw(String topic, String camera, long seq, byte[] value) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, camera, value);
    r.headers().add(HeaderNames.CAMERA_ID, camera.getBytes(StandardCharsets.UTF_8));
    r.headers().add(HeaderNames.FRAME_SEQ, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
    return r;
  }

  /**
   * Reads until every topic has {@code expected} records (or the timeout), then keeps reading for
   * {@code settle} to catch extras; returns the records per topic in read order.
   */
  static Map<String, List<ConsumerRecord<byte[], byte[]>>> readAll(
      KafkaConsumer<byte[], byte[]> c,
      Map<String, Integer> expected,
      Duration timeout,
      Duration settle) {
    Map<String, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
    expected.keySet().forEach(t -> got.put(t, new ArrayList<>()));
    long deadline = System.nanoTime() + timeout.toNanos();
    long settleUntil = Long.MAX_VALUE;
    while (System.nanoTime() < Math.min(deadline, settleUntil)) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        got.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r);
      }
      boolean done =
          expected.entrySet().stream().allMatch(e -> got.get(e.getKey()).size() >= e.getValue());
      if (done && settleUntil == Long.MAX_VALUE) {
        settleUntil = System.nanoTime() + settle.toNanos();
      }
    }
    return got;
  }

  static String header(ConsumerRecord<?, ?> r, String key) {
    return HeaderNames.read(r.headers(), key);
  }

  /**
   * Sends frames {@code from} (inclusive) to {@code to} (exclusive) as Avro CameraFrames: frame i
   * is camera {@code cam-(i % cameras)}, sequence number {@code i / cameras}.
   */
  static void sendFrames(
      KafkaProducer<byte[], byte[]> producer,
      Topics topics,
      int from,
      int to,
      int cameras,
      List<byte[]> jpegs) {
    long t0 = System.currentTimeMillis();
    for (int i = from; i < to; i++) {
      sendFrame(producer, topics, i, cameras, jpegs, t0 + i);
    }
    producer.flush();
  }

  /**
   * Sends frame {@code i} as {@link #sendFrames} numbers it, captured at {@code captureTs}, without
   * waiting.
   */
  static void sendFrame(
      KafkaProducer<byte[], byte[]> producer,
      Topics topics,
      int i,
      int cameras,
      List<byte[]> jpegs,
      long captureTs) {
    String camera = "cam-" + (i % cameras);
    producer.send(
        new ProducerRecord<>(
            topics.cameraFrames().name(),
            camera.getBytes(StandardCharsets.UTF_8),
            avroFrame(camera, i / cameras, captureTs, jpegs.get(i % jpegs.size()))));
  }

  /** {@code frames} records expected on every result topic. */
  static Map<String, Integer> onEveryResultTopic(Topics topics, int frames) {
    Map<String, Integer> expected = new HashMap<>();
    topics.results().forEach(t -> expected.put(t.name(), frames));
    return expected;
  }

  /**
   * Asserts that every frame {@link #sendFrames} sent ({@code frames} of {@code cameras} cameras)
   * is on every result topic exactly once: none lost, none duplicated.
   */
  static void assertEachFrameOnce(
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got,
      Topics topics,
      int frames,
      int cameras) {
    java.util.Set<String> want = new java.util.HashSet<>();
    for (int i = 0; i < frames; i++) {
      want.add(FrameMeta.frameId("cam-" + (i % cameras), i / cameras));
    }
    for (Topics.Topic<?, ?> t : topics.results()) {
      Map<String, Integer> count = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : got.get(t.name())) {
        count.merge(header(r, HeaderNames.FRAME_ID), 1, Integer::sum);
      }
      java.util.Set<String> lost = new java.util.TreeSet<>(want);
      lost.removeAll(count.keySet());
      List<String> duplicated =
          count.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
      org.assertj.core.api.Assertions.assertThat(lost).as("%s: frames lost", t.name()).isEmpty();
      org.assertj.core.api.Assertions.assertThat(duplicated)
          .as("%s: frames duplicated", t.name())
          .isEmpty();
      org.assertj.core.api.Assertions.assertThat(count.keySet())
          .as("%s: only frames sent", t.name())
          .isEqualTo(want);
    }
  }

  /** One poll of {@code reader}, each record added to its topic's list in {@code got}. */
  static void pollInto(
      KafkaConsumer<byte[], byte[]> reader, Map<String, List<ConsumerRecord<byte[], byte[]>>> got) {
    for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
      got.get(r.topic()).add(r);
    }
  }
}
