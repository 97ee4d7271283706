package dev.hydrastream.streams;

import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.streams.topics.ResultOutput;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.wire.HeaderNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka Streams' clients, with each producer watched so that the moment a frame's results are
 * committed is known: results sent inside a transaction become visible to {@code read_committed}
 * consumers only when {@code commitTransaction} returns (with at-least-once, when the commit's
 * {@code flush} returns). Kafka Streams has no commit callback for processors, so the producer it
 * commits through is where the produce-to-commit stage ends (and where committed results, dead
 * letters and alerts are counted). Nothing is changed on the way through.
 */
final class CommitObserver implements org.apache.kafka.streams.KafkaClientSupplier {

  private final ServiceMetrics metrics;
  private final String framesTopic;
  private final String dlqTopic;
  private final String alertsTopic;
  private final Map<String, String> taskByTopic = new HashMap<>();

  /** Producers made and not yet told the topics they will write ({@link #prefetch}). */
  private final List<Producer<byte[], byte[]>> unprefetched = new ArrayList<>();

  CommitObserver(ServiceMetrics metrics, Topics topics) {
    this.metrics = metrics;
    this.framesTopic = topics.frames().name();
    this.dlqTopic = topics.dlq().name();
    this.alertsTopic = topics.alerts().name();
    for (ResultOutput<?> o : ResultOutput.ALL) {
      taskByTopic.put(topics.result(o).name(), o.task());
    }
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    Producer<byte[], byte[]> p =
        new Watched(
            new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    synchronized (unprefetched) {
      unprefetched.add(p);
    }
    return p;
  }

  /**
   * Fetches the metadata of {@code topics} into every producer made since the last call. A
   * producer's first send to a topic blocks its stream thread until the topic's metadata arrives (a
   * round trip per topic, about 10 ms each here): a fresh service's first frame, which writes to
   * every result topic and changelog, would otherwise wait for all of them in turn. Best effort: a
   * topic that cannot be described is left for the first send, as before. Any thread (a {@code
   * KafkaProducer} is thread-safe).
   *
   * @return how many producer-topic pairs were fetched
   */
  int prefetch(Collection<String> topics) {
    List<Producer<byte[], byte[]>> todo;
    synchronized (unprefetched) {
      todo = List.copyOf(unprefetched);
      unprefetched.clear();
    }
    int n = 0;
    for (Producer<byte[], byte[]> p : todo) {
      for (String t : topics) {
        try {
          p.partitionsFor(t);
          n++;
        } catch (RuntimeException e) {
          // closed with its thread, or not allowed to describe it: the first send will tell
        }
      }
    }
    return n;
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return getConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return getConsumer(config);
  }

  /** A producer that remembers what the open transaction holds and reports it at commit. */
  private final class Watched implements Producer<byte[], byte[]> {
    private final Producer<byte[], byte[]> delegate;
    // One stream thread uses a producer; the lock only guards against Kafka changing that.
    private final List<long[]> frames = new ArrayList<>();
    private final Map<String, Integer> results = new HashMap<>();
    private final List<String> deadLetters = new ArrayList<>();
    private final List<String[]> alerts = new ArrayList<>();
    private volatile boolean transactional;

    Watched(Producer<byte[], byte[]> delegate) {
      this.delegate = delegate;
    }

    private synchronized void note(ProducerRecord<byte[], byte[]> r) {
      String task = taskByTopic.get(r.topic());
      if (task != null) {
        results.merge(task, 1, Integer::sum);
      }
      if (r.topic().equals(framesTopic)) {
        String ts = HeaderNames.read(r.headers(), HeaderNames.CAPTURE_TS);
        frames.add(new long[] {System.nanoTime(), ts == null ? -1 : Long.parseLong(ts)});
      } else if (r.topic().equals(dlqTopic)) {
        String reason = HeaderNames.read(r.headers(), HeaderNames.DLQ_REASON);
        deadLetters.add(reason == null ? "UNKNOWN" : reason);
      } else if (r.topic().equals(alertsTopic)) {
        String rule = HeaderNames.read(r.headers(), HeaderNames.RULE_ID);
        String severity = HeaderNames.read(r.headers(), HeaderNames.SEVERITY);
        alerts.add(
            new String[] {
              rule == null ? "UNKNOWN" : rule, severity == null ? "UNKNOWN" : severity
            });
      }
    }

    private synchronized void committed() {
      long nanos = System.nanoTime();
      long millis = System.currentTimeMillis();
      for (long[] f : frames) {
        metrics.frameCommitted(f[0], f[1] < 0 ? millis : f[1], nanos, millis);
      }
      results.forEach(metrics::resultsCommitted);
      deadLetters.forEach(metrics::deadLetterCommitted);
      alerts.forEach(a -> metrics.alertCommitted(a[0], a[1]));
      forget();
    }

    private synchronized void forget() {
      frames.clear();
      results.clear();
      deadLetters.clear();
      alerts.clear();
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> r) {
      note(r);
      return delegate.send(r);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> r, Callback callback) {
      note(r);
      return delegate.send(r, callback);
    }

    @Override
    public void commitTransaction() {
      delegate.commitTransaction();
      committed();
    }

    @Override
    public void abortTransaction() {
      forget();
      delegate.abortTransaction();
    }

    @Override
    public void flush() {
      delegate.flush();
      if (!transactional) {
        committed();
      }
    }

    @Override
    public void initTransactions() {
      transactional = true;
      delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
      delegate.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(
        Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
      delegate.sendOffsetsToTransaction(offsets, group);
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
      delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
      delegate.unregisterMetricFromSubscription(metric);
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
      return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
      return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
      return delegate.clientInstanceId(timeout);
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public void close(Duration timeout) {
      delegate.close(timeout);
    }
  }
}
