package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaTestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The result topics as a read_committed consumer sees them, read as a long-running test waits (the
 * kill, overload and soak tests).
 */
final class CommittedResults implements AutoCloseable {
  final Map<String, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
  private final KafkaConsumer<byte[], byte[]> reader;
  private final Topics topics;

  private boolean closed;

  CommittedResults(String bootstrap, Topics topics) {
    this.topics = topics;
    List<String> names = new ArrayList<>();
    topics.results().forEach(t -> names.add(t.name()));
    names.forEach(n -> got.put(n, new ArrayList<>()));
    this.reader = KafkaTestClients.committedConsumer(bootstrap, names);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      reader.close();
    }
  }

  /** Fused results ({@code perception.frames}) seen so far. */
  int fused() {
    return got.get(topics.frames().name()).size();
  }

  /** Whether every result topic has at least {@code frames} records. */
  boolean complete(int frames) {
    return got.values().stream().allMatch(l -> l.size() >= frames);
  }

  /** Reads until {@code done}; fails if that takes longer than {@code timeout}. */
  void until(BooleanSupplier done, Duration timeout) {
    until(done, timeout, "waited " + timeout);
  }

  /** {@link #until(BooleanSupplier, Duration)}, failing with the description {@code what}. */
  void until(BooleanSupplier done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      poll();
    }
  }

  /**
   * Reads until {@code done} or until {@code timeout} has passed, whichever comes first, without
   * failing at the timeout (the caller's assertions say what was missing).
   */
  void readUntil(BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      poll();
    }
  }

  /** Reads 5 s more, to catch duplicates that come late. */
  void settle() {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < until) {
      poll();
    }
  }

  private void poll() {
    StreamFixtures.pollInto(reader, got);
  }
}
