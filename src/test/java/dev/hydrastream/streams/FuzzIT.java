package dev.hydrastream.streams;

import static dev.hydrastream.streams.StreamFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.InvalidFrameException;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.Malformed;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz corpus ({@link Malformed}: every kind of malformed input the reliability issue lists)
 * interleaved with valid frames through a real broker and the real service: no crash (the app stays
 * RUNNING with its original stream threads, none replaced), every bad input once on the dead-letter
 * topic with its reason, its original bytes and a detail, and every valid frame exactly once on
 * every result topic (read_committed).
 *
 * <p>The default run sends {@value #DEFAULT_INPUTS} malformed inputs; {@code -Preliability} sends
 * 10,000 (system property {@code hydra.fuzz.inputs}).
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class FuzzIT {

  static final int DEFAULT_INPUTS = 2000;
  private static final int VALID_EVERY = 10;

  @TempDir Path tmp;

  @Test
  void malformedInputsAreDeadLetteredWithTheirReasonAndValidFramesProcessedOnce() throws Exception {
    int inputs = Integer.getInteger("hydra.fuzz.inputs", DEFAULT_INPUTS);
    List<Malformed.Input> corpus = new Malformed(18).corpus(inputs, VALID_EVERY);
    Topics topics = new Topics("fuzz.");
    try (KafkaCluster cluster = KafkaCluster.start(1);
        PerceptionService service = start(cluster);
        KafkaProducer<byte[], byte[]> producer =
            KafkaTestClients.producer(cluster.bootstrapServers(), 8 << 20)) {
      Set<String> threads = threadNames(service.streams());
      long t0 = System.nanoTime();
      // Where each input landed (partition/offset) identifies its dead letter; the service's own
      // validation and decoding say what a randomly damaged image is owed.
      Map<String, Malformed.Input> byOffset = new HashMap<>();
      Map<Integer, DlqReason> expected = new HashMap<>();
      Map<String, Malformed.Input> validByCamera = new HashMap<>();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Malformed.Input in : corpus) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                topics.cameraFrames().name(),
                null,
                in.key() == null ? null : in.key().getBytes(StandardCharsets.UTF_8),
                in.value(),
                in.headers());
        sent.add(producer.send(r));
        DlqReason owed = in.known() ? in.expected() : verdict(service, in.value());
        expected.put(in.id(), owed);
        if (owed == null) {
          validByCamera.put(in.camera(), in);
        }
      }
      producer.flush();
      for (int i = 0; i < corpus.size(); i++) {
        RecordMetadata m = sent.get(i).get(60, TimeUnit.SECONDS);
        byOffset.put(m.partition() + "@" + m.offset(), corpus.get(i));
      }
      int bad = (int) expected.values().stream().filter(r -> r != null).count();
      int good = corpus.size() - bad;
      assertThat(validByCamera).hasSize(good);

      Map<String, Integer> want = new HashMap<>();
      topics.results().forEach(t -> want.put(t.name(), good));
      want.put(topics.dlq().name(), bad);
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got;
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(
              cluster.bootstrapServers(), new ArrayList<>(want.keySet()))) {
        got = StreamFixtures.readAll(reader, want, Duration.ofMinutes(30), Duration.ofSeconds(5));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;

      Map<DlqReason, Integer> reasons = new EnumMap<>(DlqReason.class);
      List<ConsumerRecord<byte[], byte[]>> dlq = got.get(topics.dlq().name());
      Set<String> dead = new TreeSet<>();
      for (ConsumerRecord<byte[], byte[]> r : dlq) {
        String where =
            header(r, HeaderNames.DLQ_SOURCE_PARTITION)
                + "@"
                + header(r, HeaderNames.DLQ_SOURCE_OFFSET);
        Malformed.Input in = byOffset.get(where);
        assertThat(in).as("dead letter of %s is one we sent", where).isNotNull();
        assertThat(dead.add(where)).as("%s (%s) dead-lettered once", where, in.kind()).isTrue();
        DlqReason reason = DlqReason.valueOf(header(r, HeaderNames.DLQ_REASON));
        assertThat(reason)
            .as("%s #%d: %s", in.kind(), in.id(), header(r, HeaderNames.DLQ_DETAIL))
            .isEqualTo(expected.get(in.id()));
        assertThat(header(r, HeaderNames.DLQ_DETAIL)).as("%s detail", in.kind()).isNotBlank();
        assertThat(r.value() == null ? new byte[0] : r.value())
            .as("%s #%d original bytes", in.kind(), in.id())
            .isEqualTo(in.value() == null ? new byte[0] : in.value());
        reasons.merge(reason, 1, Integer::sum);
      }
      assertThat(dlq).as("dead letters").hasSize(bad);

      for (Topics.Topic<?, ?> t : topics.results()) {
        List<ConsumerRecord<byte[], byte[]>> recs = got.get(t.name());
        Map<String, Long> perCamera =
            recs.stream()
                .collect(
                    Collectors.groupingBy(
                        r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.counting()));
        assertThat(perCamera.keySet()).as(t.name()).isEqualTo(validByCamera.keySet());
        assertThat(perCamera.values()).as("%s: each frame once", t.name()).containsOnly(1L);
        for (ConsumerRecord<byte[], byte[]> r : recs) {
          Malformed.Input in = validByCamera.get(new String(r.key(), StandardCharsets.UTF_8));
          if (in.seq() >= 0) {
            assertThat(header(r, HeaderNames.FRAME_ID))
                .isEqualTo(FrameMeta.frameId(in.camera(), in.seq()));
          }
        }
      }

      assertThat(service.streams().state()).as("no crash").isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(threadNames(service.streams())).as("no stream thread replaced").isEqualTo(threads);
      Map<Malformed.Kind, Long> kinds =
          corpus.stream()
              .collect(
                  Collectors.groupingBy(
                      Malformed.Input::kind,
                      () -> new EnumMap<>(Malformed.Kind.class),
                      Collectors.counting()));
      System.out.printf(
          "fuzz: %d malformed inputs + %d valid frames in %.1f s, crashes 0, dead-lettered %d,"
              + " valid processed once %d, damaged images that still decode %d%n"
              + "  kinds %s%n  reasons %s%n",
          inputs,
          corpus.size() - inputs,
          seconds,
          bad,
          good,
          good - (corpus.size() - inputs),
          kinds,
          reasons);
    }
  }

  /** What the service's own validation and decoding make of {@code image}: null if it decodes. */
  private static DlqReason verdict(PerceptionService service, byte[] image) {
    try {
      service.serving().prepare(image);
      return null;
    } catch (InvalidFrameException e) {
      return DlqReason.of(e.problem());
    }
  }

  private static Set<String> threadNames(KafkaStreams streams) {
    return streams.metadataForLocalThreads().stream()
        .map(ThreadMetadata::threadName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private PerceptionService start(KafkaCluster cluster) throws Exception {
    // A model call slower than predict.timeout.ms fails the thread on purpose (not the frame's
    // fault: it is processed again); on a loaded 2-core machine the first calls can take longer
    // than the default 5 s, which would count as a replaced thread here without any bad input
    // (30 s x 8 records per poll stays under max.poll.interval.ms).
    Settings s =
        Settings.of(
            Map.of(
                Settings.PREDICT_TIMEOUT_MS,
                "30000",
                Settings.MAX_POLL_RECORDS,
                "8",
                Settings.BOOTSTRAP_SERVERS,
                cluster.bootstrapServers(),
                Settings.APPLICATION_ID,
                "it-fuzz",
                Settings.TOPIC_PREFIX,
                "fuzz.",
                Settings.TOPIC_PARTITIONS,
                "4",
                Settings.STREAM_THREADS,
                "2",
                Settings.STATE_DIR,
                Files.createDirectories(tmp.resolve("state")).toString()));
    return PerceptionService.create(s).start(Duration.ofSeconds(120));
  }
}
