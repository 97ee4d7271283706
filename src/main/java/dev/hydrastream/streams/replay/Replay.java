package dev.hydrastream.streams.replay;

import dev.hydrastream.config.Settings;
import dev.hydrastream.metrics.ModelAgreement;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Re-runs the frames of a topic recorded in a time range through the perception topology, with the
 * service's settings, into the result topics under another prefix; then stops. It reads the
 * recorded topic itself ({@code topic.input}), from each partition's first offset at or after the
 * start ({@code offsetsForTimes}, committed for a fresh application id before Kafka Streams
 * starts), and skips frames outside the range ({@code frame.window.*}); it is done when the
 * committed offsets reach each partition's first offset at or after the end (or its end offset).
 * With the same model and settings ({@code batch.pad.single}, {@code results.latency=header}) the
 * result records are byte-identical to the originals; with another model, {@link #compare} gives
 * the per-task agreement.
 */
public final class Replay {

  /**
   * What to replay.
   *
   * @param from the recorded frames topic
   * @param startMs first record timestamp replayed (epoch ms)
   * @param endMs first record timestamp no longer replayed (epoch ms)
   * @param outputPrefix prefix of the replay's result topics
   * @param model model directory (null: the settings' model.dir)
   * @param timeout longest run
   */
  public record Request(
      String from, long startMs, long endMs, String outputPrefix, Path model, Duration timeout) {
    public Request {
      if (endMs <= startMs) {
        throw new IllegalArgumentException(
            "the end (" + endMs + ") must be after the start (" + startMs + ")");
      }
      if (outputPrefix == null || outputPrefix.isEmpty()) {
        throw new IllegalArgumentException("--output-prefix must not be empty");
      }
    }
  }

  /**
   * What a replay did.
   *
   * @param from the recorded topic
   * @param startMs range start, epoch ms
   * @param endMs range end (exclusive), epoch ms
   * @param model the model that answered (name@version)
   * @param offsets records in the offset range read (frames in the range and any out-of-order
   *     timestamps among them, which were skipped)
   * @param records committed records per replay topic
   * @param millis wall time from start to the last commit
   */
  public record Summary(
      String from,
      long startMs,
      long endMs,
      String model,
      long offsets,
      Map<String, Long> records,
      long millis) {}

  private Replay() {}

  /** The settings the replay runs with: the service's, writing under the prefix. */
  public static Settings settings(Settings service, Request r, Path stateDir) {
    Map<String, Object> o = new HashMap<>();
    o.put(Settings.TOPIC_PREFIX, r.outputPrefix());
    o.put(Settings.TOPIC_INPUT, r.from());
    o.put(Settings.TOPIC_CREATE, "true");
    o.put(Settings.FRAME_WINDOW_START_MS, r.startMs());
    o.put(Settings.FRAME_WINDOW_END_MS, r.endMs());
    // Age against this host's clock says nothing about recorded frames.
    o.put(Settings.FRAME_MAX_AGE_MS, 0L);
    // Events need the telemetry of the time; only the per-frame results are replayed.
    o.put(Settings.TELEMETRY_ENABLED, "false");
    o.put(
        Settings.APPLICATION_ID,
        service.getString(Settings.APPLICATION_ID)
            + "-replay-"
            + UUID.randomUUID().toString().substring(0, 8));
    o.put(Settings.STATE_DIR, stateDir.toString());
    if (r.model() != null) {
      o.put(Settings.MODEL_DIR, r.model().toString());
    }
    return service.with(o);
  }

  /** Runs the replay to its end; {@code progress} hears about it (stderr in the command). */
  public static Summary run(
      Settings service, Request r, java.util.function.Consumer<String> progress)
      throws InterruptedException {
    Path state;
    try {
      state = Files.createTempDirectory("hydra-replay-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Settings s = settings(service, r, state);
    s.require(Settings.BOOTSTRAP_SERVERS);
    Map<TopicPartition, Long> start;
    Map<TopicPartition, Long> stop;
    String group = s.getString(Settings.APPLICATION_ID);
    try (Admin admin = Admin.create(TopicAdmin.adminConfig(s))) {
      List<TopicPartition> parts = partitions(admin, r.from());
      start = offsets(admin, parts, r.startMs());
      stop = offsets(admin, parts, r.endMs());
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      start.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
      admin.alterConsumerGroupOffsets(group, commit).all().get(30, TimeUnit.SECONDS);
      long offsets = 0;
      for (TopicPartition tp : parts) {
        offsets += stop.get(tp) - start.get(tp);
      }
      progress.accept(
          "replay: "
              + offsets
              + " records of "
              + r.from()
              + " in ["
              + r.startMs()
              + ", "
              + r.endMs()
              + ") -> "
              + r.outputPrefix()
              + "*");
      long t0 = System.nanoTime();
      String model;
      try (PerceptionService service1 = PerceptionService.create(s)) {
        model = service1.serving().card().id();
        service1.start(Duration.ofSeconds(120));
        awaitCommitted(admin, group, stop, r.timeout());
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Long> records = new LinkedHashMap<>();
      for (Topics.Topic<String, ?> t : Topics.of(s).results()) {
        long[] n = {0};
        read(s, t.name(), new ByteArrayDeserializer(), r.timeout(), (k, v) -> n[0]++);
        records.put(t.name(), n[0]);
      }
      return new Summary(r.from(), r.startMs(), r.endMs(), model, offsets, records, millis);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("replay of " + r.from() + ": " + c.getMessage(), c);
    } finally {
      try {
        Trees.delete(state);
      } catch (IOException e) {
        // a temporary directory: left for the OS
      }
    }
  }

  /**
   * The per-task agreement of the replay's fused records with the original ones, frame by frame (by
   * {@code frame_id}); frames only one side answered are not compared. Each topic is read within
   * {@code timeout}.
   */
  public static ModelAgreement.Report compare(
      Settings service, String outputPrefix, Duration timeout) {
    Topics original = Topics.of(service);
    Topics replay = new Topics(outputPrefix, original.format());
    Deserializer<PerceptionFrame> d = original.frames().valueSerde().deserializer();
    Map<String, PerceptionFrame> before = new HashMap<>();
    read(service, original.frames().name(), d, timeout, (k, v) -> before.put(v.getFrameId(), v));
    ModelAgreement agreement = new ModelAgreement();
    read(
        service,
        replay.frames().name(),
        d,
        timeout,
        (k, v) -> {
          PerceptionFrame o = before.get(v.getFrameId());
          if (o != null) {
            agreement.add(o, v);
          }
        });
    return agreement.report();
  }

  private static List<TopicPartition> partitions(Admin admin, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    try {
      TopicDescription d =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      return d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalArgumentException("--from: topic " + topic + " does not exist");
      }
      throw e;
    }
  }

  /** Per partition, the first offset with a timestamp at or after {@code ms}, else the end. */
  private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> parts, long ms)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> at = new HashMap<>();
    Map<TopicPartition, OffsetSpec> end = new HashMap<>();
    for (TopicPartition tp : parts) {
      at.put(tp, OffsetSpec.forTimestamp(ms));
      end.put(tp, OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
        admin.listOffsets(at).all().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(end).all().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : parts) {
      long o = found.get(tp).offset();
      out.put(tp, o < 0 ? ends.get(tp).offset() : o);
    }
    return out;
  }

  /** Waits until the group's committed offsets reach {@code stop} on every partition. */
  private static void awaitCommitted(
      Admin admin, String group, Map<TopicPartition, Long> stop, Duration timeout)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      boolean done = true;
      for (Map.Entry<TopicPartition, Long> e : stop.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        done &= c != null && c.offset() >= e.getValue();
      }
      if (done) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "not done within " + timeout + ": committed " + committed + ", to reach " + stop);
      }
      Thread.sleep(200);
    }
  }

  /** Reads a topic from its beginning to its end (read_committed). */
  static <V> void read(
      Settings s,
      String topic,
      Deserializer<V> values,
      Duration timeout,
      BiConsumer<String, V> each) {
    Map<String, Object> c = TopicAdmin.clientConfig(s, ConsumerConfig.configNames());
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), values)) {
      TopicAdmin.readToEnd(consumer, topic, timeout, r -> each.accept(r.key(), r.value()));
    }
  }
}
