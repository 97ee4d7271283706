package dev.hydrastream.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the service's consumer lag on {@code camera.frames} from outside, as an operator would:
 * log-end offsets minus the application's committed offsets, summed over partitions.
 */
public final class LagMonitor implements AutoCloseable {

  private final Admin admin;
  private final String group;
  private final String topic;
  private final Thread thread;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong last = new AtomicLong();
  private final AtomicLong max = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();

  /** Starts sampling every {@code period}. */
  public LagMonitor(String bootstrap, String group, String topic, Duration period) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    this.group = group;
    this.topic = topic;
    this.thread =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  long lag = sample();
                  last.set(lag);
                  max.accumulateAndGet(lag, Math::max);
                  samples.incrementAndGet();
                  Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  // The group may not exist yet right after start; the next sample will tell.
                }
              }
            },
            "hydra-lag-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  /** Current lag: records on {@code topic} not yet committed by the group. */
  public long sample() throws Exception {
    int partitions =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    long lag = 0;
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
    }
    return lag;
  }

  public long last() {
    return last.get();
  }

  public long max() {
    return max.get();
  }

  public long samples() {
    return samples.get();
  }

  @Override
  public void close() {
    stop.set(true);
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
