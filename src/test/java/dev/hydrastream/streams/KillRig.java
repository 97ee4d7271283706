package dev.hydrastream.streams;

import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The rig of the tests that kill the service ({@code HardKillIT}, {@code RepeatedCrashIT}, {@code
 * TrackingHardKillIT}, and through {@link LoadRun} the overload and soak tests): a one-broker KRaft
 * cluster whose input topic ({@code camera.frames}, no prefix) exists with the service's partition
 * count before anything is produced (KAFKA-15591), settings files of the service in a JVM of its
 * own, those JVMs (any still alive when the rig closes are killed, so a failed test leaves none
 * behind), frames sent as {@link StreamFixtures#sendFrames} numbers them, and the results as a
 * read_committed consumer sees them.
 */
final class KillRig implements AutoCloseable {

  private final KafkaCluster cluster;
  private final int partitions;
  private final Topics topics = new Topics("");
  private final List<byte[]> jpegs = Frames.jpegs(8);
  private final List<ServiceProcess> services = new ArrayList<>();
  private final List<AutoCloseable> owned = new ArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;

  private KillRig(KafkaCluster cluster, int partitions) {
    this.cluster = cluster;
    this.partitions = partitions;
  }

  /** Starts a one-broker cluster and creates the input topic with {@code partitions} partitions. */
  static KillRig start(int partitions) throws Exception {
    KafkaCluster cluster = KafkaCluster.start(1);
    try {
      cluster.createTopics(Map.of(new Topics("").cameraFrames().name(), partitions));
      return new KillRig(cluster, partitions);
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The {@code bootstrap.servers} value for clients of the cluster. */
  String bootstrap() {
    return cluster.bootstrapServers();
  }

  /** The topics (no prefix), as the service names them. */
  Topics topics() {
    return topics;
  }

  /**
   * Writes the settings file {@code file} of a service in its own JVM ({@link
   * ServiceProcess#config}: the rig's partitions) and appends {@code extraLines} (properties).
   */
  Path config(Path file, String applicationId, Path stateDir, String... extraLines)
      throws IOException {
    ServiceProcess.config(file, bootstrap(), applicationId, stateDir, partitions);
    if (extraLines.length > 0) {
      Files.writeString(file, String.join("\n", extraLines) + "\n", StandardOpenOption.APPEND);
    }
    return file;
  }

  /** Starts the service with {@code config} and waits (up to 2 minutes) until it is RUNNING. */
  ServiceProcess startService(Path config, Path log) throws Exception {
    return track(ServiceProcess.start(config, log));
  }

  /** {@link #startService(Path, Path)}, waiting up to {@code timeout}. */
  ServiceProcess startService(Path config, Path log, Duration timeout) throws Exception {
    return track(ServiceProcess.start(config, log, timeout));
  }

  /** {@link #startService(Path, Path, Duration)} with these JVM options. */
  ServiceProcess startService(Path config, Path log, Duration timeout, List<String> jvmOptions)
      throws Exception {
    return track(ServiceProcess.start(config, log, timeout, jvmOptions));
  }

  private ServiceProcess track(ServiceProcess p) {
    services.add(p);
    return p;
  }

  /**
   * A producer of frames (byte-array keys and values, requests up to 4 MiB), closed with the rig.
   */
  KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer = KafkaTestClients.producer(bootstrap(), 4 << 20);
    }
    return producer;
  }

  /** Eight test JPEGs, cycled through by the frames {@link #send} sends. */
  List<byte[]> jpegs() {
    return jpegs;
  }

  /**
   * Sends frames {@code from} (inclusive) to {@code to} (exclusive) of {@code cameras} cameras and
   * flushes ({@link StreamFixtures#sendFrames}).
   */
  void send(int from, int to, int cameras) {
    StreamFixtures.sendFrames(producer(), topics, from, to, cameras, jpegs);
  }

  /** A new read_committed reader of every result topic from the beginning, closed with the rig. */
  CommittedResults results() {
    CommittedResults r = new CommittedResults(bootstrap(), topics);
    owned.add(r);
    return r;
  }

  /** Kills the services still alive, closes the clients and stops the cluster. */
  @Override
  public void close() throws Exception {
    try {
      for (ServiceProcess p : services) {
        if (p.isAlive()) {
          p.kill();
        }
      }
      for (AutoCloseable c : owned) {
        c.close();
      }
      if (producer != null) {
        producer.close();
      }
    } finally {
      cluster.close();
    }
  }
}
