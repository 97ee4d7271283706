package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.sim.SimulatedCamera;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.streams.tracking.TrackRecords;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ServiceProcess;
import dev.hydrastream.tracking.CameraTracker;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.wire.Decoded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracks survive crashes: the service runs in its own JVM on simulated dash-cam video (four
 * cameras, 20 s each at 5 fps, the real model), is killed with SIGKILL twice mid-stream and
 * restarted, first on the same state directory, then on an empty one (the tracker state comes back
 * from the changelog). Afterwards {@code perception.tracks} (read_committed) has exactly one record
 * per frame, and each equals, field for field but latency, what one uninterrupted tracker computes
 * from the committed {@code perception.frames} of that camera in order; tracks that were alive at a
 * kill keep their ids after it, and no id is given out twice.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class TrackingHardKillIT {

  private static final int CAMERAS = 4;
  private static final int FRAMES_PER_CAMERA = 100;
  private static final int FRAMES = CAMERAS * FRAMES_PER_CAMERA;

  @TempDir Path tmp;

  private record Seen(Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic) {
    int count(String topic) {
      return byTopic.get(topic).size();
    }
  }

  @Test
  void tracksContinueWithTheSameIdsAcrossSigkillsAndAChangelogRestore() throws Exception {
    try (KillRig rig = KillRig.start(CAMERAS)) {
      Topics topics = rig.topics();
      produceVideo(rig.bootstrap(), topics);
      String tracks = topics.tracks().name();
      String frames = topics.frames().name();
      Seen seen =
          new Seen(new HashMap<>(Map.of(tracks, new ArrayList<>(), frames, new ArrayList<>())));
      List<Map<String, Long>> killedAt = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(rig.bootstrap(), List.of(tracks, frames))) {
        Path config = config(rig, tmp.resolve("state-a"));
        ServiceProcess first = rig.startService(config, tmp.resolve("first.log"));
        readUntil(reader, seen, tracks, 120, first);
        killedAt.add(lastSeqPerCamera(seen.byTopic().get(tracks)));
        assertThat(first.kill()).isEqualTo(137);

        ServiceProcess second = rig.startService(config, tmp.resolve("second.log"));
        readUntil(reader, seen, tracks, 260, second);
        killedAt.add(lastSeqPerCamera(seen.byTopic().get(tracks)));
        assertThat(second.kill()).isEqualTo(137);

        // a new machine: empty state directory, the trackers come back from the changelog
        config = config(rig, tmp.resolve("state-b"));
        ServiceProcess third = rig.startService(config, tmp.resolve("third.log"));
        try {
          readUntil(reader, seen, tracks, FRAMES, third);
          readUntil(reader, seen, frames, FRAMES, third);
        } finally {
          third.stop();
        }
        // stopped: every transaction is committed or aborted; read to the end to catch extras
        drain(reader, seen);
      }
      System.out.printf(
          "tracking hard kill: killed at %s (last committed frame per camera)%n", killedAt);
      assertThat(seen.count(tracks)).as("one tracks record per frame").isEqualTo(FRAMES);
      assertThat(seen.count(frames)).isEqualTo(FRAMES);
      Map<String, TreeMap<Long, TrackResult>> actual = byCamera(seen, tracks, TrackResult.class);
      Map<String, TreeMap<Long, PerceptionFrame>> input =
          byCamera(seen, frames, PerceptionFrame.class);
      int continued = 0;
      for (String camera : input.keySet()) {
        assertThat(actual.get(camera)).as(camera).hasSize(FRAMES_PER_CAMERA);
        TrackerConfig d = TrackerConfig.defaults();
        CameraTracker uninterrupted =
            new CameraTracker(
                new TrackerConfig(
                    d.minHits(),
                    d.maxMisses(),
                    0.3,
                    0.1,
                    0.3,
                    d.matchIou(),
                    d.lowMatchIou(),
                    d.tentativeMatchIou(),
                    d.iouBuffer(),
                    d.maxGapMs(),
                    d.maxTracks(),
                    d.maxDetections()));
        Set<Long> startedIds = new HashSet<>();
        for (Map.Entry<Long, PerceptionFrame> e : input.get(camera).entrySet()) {
          PerceptionFrame f = e.getValue();
          TrackResult expected =
              TrackRecords.of(
                  f,
                  uninterrupted.update(
                      f.getCaptureTs().toEpochMilli(), TrackRecords.observations(f)),
                  0);
          TrackResult got = actual.get(camera).get(e.getKey());
          got.setLatencyMs(0.0);
          assertThat(got).as("%s frame %d", camera, e.getKey()).isEqualTo(expected);
          for (long id : got.getStarted()) {
            assertThat(startedIds.add(id)).as("%s: id %d started twice", camera, id).isTrue();
          }
        }
        for (Map<String, Long> kill : killedAt) {
          continued += continuedAcross(actual.get(camera), kill.getOrDefault(camera, -1L));
        }
      }
      System.out.printf("tracking hard kill: %d tracks alive at a kill kept their id%n", continued);
      assertThat(continued).as("confirmed tracks spanning a kill").isPositive();
    }
  }

  /** Confirmed tracks in the record at {@code seq} that are still reported after it. */
  private static int continuedAcross(TreeMap<Long, TrackResult> records, long seq) {
    TrackResult at = records.get(seq);
    if (at == null) {
      return 0;
    }
    Set<Long> alive = new HashSet<>();
    for (Track t : at.getTracks()) {
      if (t.getState() == TrackState.CONFIRMED) {
        alive.add(t.getTrackId());
      }
    }
    Set<Long> later = new HashSet<>();
    records
        .tailMap(seq, false)
        .values()
        .forEach(r -> r.getTracks().forEach(t -> later.add(t.getTrackId())));
    alive.retainAll(later);
    return alive.size();
  }

  private void produceVideo(String bootstrap, Topics topics) throws Exception {
    long start = System.currentTimeMillis();
    try (KafkaProducer<String, byte[]> producer = StreamFixtures.producer(bootstrap)) {
      List<SimulatedCamera> cams = new ArrayList<>();
      for (int c = 0; c < CAMERAS; c++) {
        cams.add(
            new SimulatedCamera("cam-" + c, "veh-" + c, 100 + c, 1280, 720, 5.0, 20, 85, start));
      }
      for (int seq = 0; seq < FRAMES_PER_CAMERA; seq++) {
        for (SimulatedCamera cam : cams) {
          SimFrame f = cam.frame(seq);
          producer.send(
              new ProducerRecord<>(
                  topics.cameraFrames().name(),
                  f.cameraId(),
                  StreamFixtures.avroFrame(f.cameraId(), f.seq(), f.captureTs(), f.jpeg())));
        }
      }
      producer.flush();
      cams.forEach(SimulatedCamera::close);
    }
  }

  private Path config(KillRig rig, Path stateDir) throws Exception {
    // The property under test is the trackers' state across kills, so the tracker needs objects
    // to follow. The tracker's default thresholds are ByteTrack's (birth at 0.6, first
    // association at 0.5), fitted to hydranet@1's scores; the default model (hydranet@2,
    // COCO-pretrained) scores the simulator's rendered objects at 0.3-0.45, so no track would be
    // born. This test's service uses thresholds on that scale (docs/tracking.md: to be re-tuned).
    return rig.config(
        tmp.resolve("service.properties"),
        "tracking-hardkill",
        stateDir,
        "track.high.score=0.3",
        "track.low.score=0.1",
        "track.new.score=0.3",
        "model.min.score=0.1");
  }

  private static void readUntil(
      KafkaConsumer<byte[], byte[]> reader,
      Seen seen,
      String topic,
      int count,
      ServiceProcess service) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (seen.count(topic) < count) {
      assertThat(System.nanoTime() < deadline)
          .as("%d of %d records on %s in 4 minutes", seen.count(topic), count, topic)
          .isTrue();
      assertThat(service.isAlive()).as("service died: %s", service.log()).isTrue();
      poll(reader, seen);
    }
  }

  private static void drain(KafkaConsumer<byte[], byte[]> reader, Seen seen) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    Map<TopicPartition, Long> ends = reader.endOffsets(reader.assignment());
    while (ends.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
      assertThat(System.nanoTime() < deadline).as("read to the end offsets").isTrue();
      poll(reader, seen);
    }
  }

  private static void poll(KafkaConsumer<byte[], byte[]> reader, Seen seen) {
    for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
      seen.byTopic().get(r.topic()).add(r);
    }
  }

  private static Map<String, Long> lastSeqPerCamera(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Long> last = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TrackResult t = Decoded.decodeAvro(r.value(), TrackResult.class);
      last.merge(t.getCameraId(), t.getFrameSeq(), Math::max);
    }
    return last;
  }

  private static <T extends org.apache.avro.specific.SpecificRecord>
      Map<String, TreeMap<Long, T>> byCamera(Seen seen, String topic, Class<T> type) {
    Map<String, TreeMap<Long, T>> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : seen.byTopic().get(topic)) {
      T v = Decoded.decodeAvro(r.value(), type);
      String camera = (String) v.get(v.getSchema().getField("camera_id").pos());
      long seq = (Long) v.get(v.getSchema().getField("frame_seq").pos());
      T prev = out.computeIfAbsent(camera, k -> new TreeMap<>()).put(seq, v);
      assertThat(prev).as("%s %s:%d twice", topic, camera, seq).isNull();
    }
    return out;
  }
}
