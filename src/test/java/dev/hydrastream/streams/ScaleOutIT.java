package dev.hydrastream.streams;

import static dev.hydrastream.streams.StreamFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.Http;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ServiceProcess;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka spreads the work: three service instances in JVMs of their own ({@code hydrastream run},
 * one application id) share a 6-partition {@code camera.frames} on one in-process cluster, and each
 * processes frames; one is killed with SIGKILL mid-stream and the other two take over its
 * partitions; a fourth joins later and gets partitions and frames; at the end every frame has
 * exactly one result on every result topic (read_committed). Prints the time from the kill to the
 * first result from the partitions' new owner.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ScaleOutIT {

  private static final String APP = "scaleout";
  private static final int PARTITIONS = 6;
  private static final int CAMERAS = 12;

  /** Frames per second over all cameras: below what four JVMs on two busy cores process. */
  private static final double RATE = 6;

  /** The producer stops here even if the phases take longer (a bound on the drain). */
  private static final int MAX_FRAMES = 1500;

  private static final Duration START = Duration.ofMinutes(4);
  private static final Pattern URL = Pattern.compile("http (http://\\S+/)");
  private static final Pattern PROCESSED =
      Pattern.compile("(?m)^hydrastream_frames_processed_total ([0-9.eE+]+)$");

  @TempDir Path tmp;

  private final Topics topics = new Topics("");
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final List<ServiceProcess> started = new ArrayList<>();

  /** No instance outlives the test, whatever failed. */
  @AfterEach
  void killLeftovers() throws InterruptedException {
    producing.set(false);
    for (ServiceProcess p : started) {
      if (p.isAlive()) {
        p.kill();
      }
    }
  }

  /** One instance: its process, name and dashboard/metrics URL. */
  private record Instance(String name, ServiceProcess process, String url) {}

  @Test
  void instancesShareTheWorkSurviveAKillAndTakeInANewcomer() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1);
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      String bootstrap = cluster.bootstrapServers();
      // The topics exist (and serve) before anyone produces: KAFKA-15591.
      TopicAdmin.createServiceTopics(
          Settings.of(
              Map.of(
                  Settings.BOOTSTRAP_SERVERS, bootstrap,
                  Settings.APPLICATION_ID, APP,
                  Settings.TOPIC_PARTITIONS, String.valueOf(PARTITIONS))));
      Map<String, Instance> live = new LinkedHashMap<>();
      for (String name : List.of("a", "b", "c")) {
        live.put(name, start(name, bootstrap));
      }
      awaitAssignment(admin, Set.of("a", "b", "c"));

      List<String> names = new ArrayList<>();
      topics.results().forEach(t -> names.add(t.name()));
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
      names.forEach(n -> got.put(n, new ArrayList<>()));
      Map<String, Long> receivedAt = new HashMap<>();
      Thread producer = new Thread(() -> produce(bootstrap), "scaleout-producer");
      producer.start();
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(bootstrap, names)) {
        Runnable poll =
            () ->
                reader
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          got.get(r.topic()).add(r);
                          receivedAt.putIfAbsent(
                              r.topic() + "/" + header(r, HeaderNames.FRAME_ID),
                              System.currentTimeMillis());
                        });

        // 1. The three share the work: each processes frames.
        for (Instance i : live.values()) {
          await("instance " + i.name() + " processes frames", poll, () -> processed(i) > 0);
        }
        Map<String, Set<Integer>> before = assignment(admin);
        Map<String, Long> processedBefore = new TreeMap<>();
        for (Instance i : live.values()) {
          processedBefore.put(i.name(), processed(i));
        }

        // 2. SIGKILL one mid-stream; the others take over its partitions.
        Instance victim = live.remove("b");
        Set<Integer> orphaned = before.get("b");
        long killedAt = System.currentTimeMillis();
        assertThat(victim.process().kill()).isEqualTo(137);
        assertThat(producing).as("killed while frames are still coming").isTrue();
        Map<String, Set<Integer>> after = awaitAssignment(admin, Set.of("a", "c"));
        long reassignedAt = System.currentTimeMillis();
        Set<Integer> takenOver = new TreeSet<>(after.get("a"));
        takenOver.addAll(after.get("c"));
        assertThat(takenOver).containsAll(orphaned);
        long[] firstFromNewOwner = {0, 0};
        int[] checked = {0};
        await(
            "a result from the new owner of partitions " + orphaned,
            poll,
            () -> {
              List<ConsumerRecord<byte[], byte[]>> fused = got.get(topics.frames().name());
              for (; checked[0] < fused.size(); checked[0]++) {
                ConsumerRecord<byte[], byte[]> r = fused.get(checked[0]);
                PerceptionFrame f = Decoded.decodeAvro(r.value(), PerceptionFrame.class);
                long producedAt = f.getCaptureTs().toEpochMilli() + (long) f.getLatencyMs();
                if (orphaned.contains(partitionOf(f.getCameraId())) && producedAt > killedAt) {
                  firstFromNewOwner[0] =
                      receivedAt.get(r.topic() + "/" + header(r, HeaderNames.FRAME_ID));
                  firstFromNewOwner[1] = producedAt;
                  return true;
                }
              }
              return false;
            });

        // 3. A fourth instance joins and gets partitions and frames.
        live.put("d", start("d", bootstrap));
        Map<String, Set<Integer>> withD = awaitAssignment(admin, Set.of("a", "c", "d"));
        assertThat(withD.get("d")).isNotEmpty();
        await("instance d processes frames", poll, () -> processed(live.get("d")) > 0);

        // 4. The end: every frame exactly once on every result topic.
        producing.set(false);
        producer.join(TimeUnit.SECONDS.toMillis(30));
        int sent = sentAt.size();
        await(
            "every frame's results",
            poll,
            () -> names.stream().allMatch(n -> distinct(got.get(n)) >= sent));
        for (Instance i : live.values()) {
          i.process().stop();
        }
        // Instances stopped: read on to the end offsets (the last stable offsets).
        Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment());
        await(
            "the end offsets",
            poll,
            () ->
                end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue()));
        for (String n : names) {
          Map<String, Integer> count = new HashMap<>();
          for (ConsumerRecord<byte[], byte[]> r : got.get(n)) {
            count.merge(header(r, HeaderNames.FRAME_ID), 1, Integer::sum);
          }
          assertThat(count.keySet()).as(n).containsExactlyInAnyOrderElementsOf(sentAt.keySet());
          assertThat(count.values()).as("%s: duplicates", n).allMatch(c -> c == 1);
        }
        System.out.printf(
            "scale-out: %d frames over %d partitions; before the kill %s owned %s and had"
                + " processed %s frames; instance b (partitions %s) killed; group reassigned"
                + " after %.1f s; first result from the new owner produced %.1f s and read"
                + " %.1f s after the kill; with d: %s%n",
            sent,
            PARTITIONS,
            before.keySet(),
            before,
            processedBefore,
            orphaned,
            (reassignedAt - killedAt) / 1e3,
            (firstFromNewOwner[1] - killedAt) / 1e3,
            (firstFromNewOwner[0] - killedAt) / 1e3,
            withD);
      } finally {
        producing.set(false);
        producer.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
  }

  /** Starts instance {@code name} ({@code kafka.client.id} = its name) and waits for RUNNING. */
  private Instance start(String name, String bootstrap) throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve(name + ".properties"),
            String.join(
                "\n",
                "bootstrap.servers=" + bootstrap,
                "application.id=" + APP,
                "state.dir=" + tmp.resolve("state-" + name),
                "stream.threads=2",
                "topic.partitions=" + PARTITIONS,
                "http.port=0",
                // As deploy/k8s: a standby copy of each task's state on another instance.
                "kafka.num.standby.replicas=1",
                // Names the group's members after the instance.
                "kafka.client.id=" + name,
                // A killed member leaves the group quickly.
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000",
                ""));
    ServiceProcess p = ServiceProcess.start(config, tmp.resolve(name + ".log"), START);
    started.add(p);
    Matcher m = URL.matcher(p.log());
    assertThat(m.find()).as("%s: URL in %s", name, p.log()).isTrue();
    return new Instance(name, p, m.group(1));
  }

  /** Sends frames of {@value #CAMERAS} cameras at {@value #RATE}/s, camera i on partition i % 6. */
  private void produce(String bootstrap) {
    List<byte[]> jpegs = Frames.jpegs(8);
    try (KafkaProducer<String, byte[]> p = StreamFixtures.producer(bootstrap)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < MAX_FRAMES && producing.get(); i++) {
        long due = t0 + (long) (i * 1e9 / RATE);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
        int camera = i % CAMERAS;
        String id = "cam-" + camera;
        long now = System.currentTimeMillis();
        p.send(
            new ProducerRecord<>(
                topics.cameraFrames().name(),
                camera % PARTITIONS,
                id,
                StreamFixtures.avroFrame(id, i / CAMERAS, now, jpegs.get(i % jpegs.size()))));
        sentAt.put(FrameMeta.frameId(id, i / CAMERAS), now);
      }
      p.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producing.set(false);
  }

  private static int partitionOf(String cameraId) {
    return Integer.parseInt(cameraId.substring(cameraId.indexOf('-') + 1)) % PARTITIONS;
  }

  /** Frames committed by {@code i} so far (its {@code /metrics}). */
  private static long processed(Instance i) throws Exception {
    Matcher m = PROCESSED.matcher(Http.get(i.url() + "metrics").body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Waits until the group is stable with exactly {@code members} (by client id) owning every
   * partition of camera.frames; returns each member's partitions.
   */
  private Map<String, Set<Integer>> awaitAssignment(Admin admin, Set<String> members)
      throws InterruptedException {
    return Eventually.await(
        "group " + APP + " stable with members " + members,
        START,
        () -> assignment(admin),
        a -> {
          Set<Integer> all = new TreeSet<>();
          a.values().forEach(all::addAll);
          return a.keySet().equals(members) && all.size() == PARTITIONS;
        });
  }

  /** The group's camera.frames partitions by instance, once it is stable; else null. */
  private Map<String, Set<Integer>> assignment(Admin admin) throws Exception {
    ConsumerGroupDescription g =
        admin.describeConsumerGroups(List.of(APP)).all().get(10, TimeUnit.SECONDS).get(APP);
    if (g.groupState() != GroupState.STABLE) {
      return null;
    }
    Map<String, Set<Integer>> out = new TreeMap<>();
    for (MemberDescription m : g.members()) {
      String instance = m.clientId().substring(0, m.clientId().indexOf('-'));
      Set<Integer> parts = out.computeIfAbsent(instance, k -> new TreeSet<>());
      m.assignment().topicPartitions().stream()
          .filter(tp -> tp.topic().equals(topics.cameraFrames().name()))
          .forEach(tp -> parts.add(tp.partition()));
    }
    return out;
  }

  /** Polls the results while waiting for {@code done}, up to {@link #START}. */
  private static void await(String what, Runnable poll, Probe done) throws InterruptedException {
    Eventually.await(
        what,
        START,
        () -> {
          poll.run();
          return done.test();
        },
        ok -> ok);
  }

  /** A condition that may throw (an HTTP request, a decode). */
  @FunctionalInterface
  private interface Probe {
    boolean test() throws Exception;
  }

  private static long distinct(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> header(r, HeaderNames.FRAME_ID)).distinct().count();
  }
}
