package dev.hydrastream.streams.admin;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.streams.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic administration of the service: creates topics idempotently and waits until every partition
 * has a serving leader, so that clients started right afterwards do not race the metadata
 * propagation.
 */
public final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long POLL_MILLIS = 50;

  private TopicAdmin() {}

  /**
   * The configuration of every admin client the service creates itself: the {@code kafka.*}
   * pass-through (security protocol, SASL, TLS, ...) an admin client knows, and the bootstrap
   * servers. Kafka Streams' own clients get the same pass-through from {@link
   * PerceptionTopology#streamsConfig}.
   */
  public static Map<String, Object> adminConfig(Settings settings) {
    return clientConfig(settings, AdminClientConfig.configNames());
  }

  /**
   * Like {@link #adminConfig}, for another client the service or a tool creates (a plain consumer
   * or producer): the {@code kafka.*} pass-through among {@code configNames}, and the bootstrap
   * servers.
   */
  public static Map<String, Object> clientConfig(Settings settings, Set<String> configNames) {
    Map<String, Object> conf = new HashMap<>(settings.kafkaOverrides());
    conf.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS)));
    conf.keySet().retainAll(configNames);
    return conf;
  }

  /**
   * Assigns {@code consumer} every partition of {@code topic} and reads them from the beginning to
   * their end offsets of now, handing each record to {@code each}.
   *
   * @throws IllegalStateException naming the topic when it has no partitions, or is not read to its
   *     end within {@code timeout}
   */
  public static <K, V> void readToEnd(
      KafkaConsumer<K, V> consumer,
      String topic,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException(topic + ": no partitions (does the topic exist?)");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(topic + ": not read to its end within " + timeout);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(each);
    }
  }

  /**
   * Fails fast, naming the address, when no broker answers within {@code bootstrap.timeout.ms};
   * with {@code topic.create=false}, fails naming every topic of {@link Topics#all()} that does not
   * exist (instead of Kafka Streams' repeated MissingSourceTopicException).
   */
  public static void checkBrokersAndTopics(Settings settings) {
    String bootstrap = String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS));
    int timeoutMs = settings.getInt(Settings.BOOTSTRAP_TIMEOUT_MS);
    Map<String, Object> conf = new HashMap<>();
    // Few reconnects while waiting: each failed one logs a WARN line (the user's kafka.* wins).
    conf.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 1000);
    conf.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
    conf.putAll(adminConfig(settings));
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    try (Admin admin = Admin.create(conf)) {
      Set<String> existing;
      try {
        admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new IllegalStateException(
            "cannot reach Kafka at "
                + bootstrap
                + " within "
                + timeoutMs
                + " ms ("
                + Settings.BOOTSTRAP_TIMEOUT_MS
                + ")"
                + (e instanceof ExecutionException ex ? ": " + ex.getCause().getMessage() : ""));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while contacting Kafka at " + bootstrap, e);
      }
      try {
        // Before the missing topics: a topic the principal may not describe looks missing.
        ServiceAcls.requireAccess(admin, settings, existing, timeoutMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while checking access at " + bootstrap, e);
      }
      if (!settings.getBoolean(Settings.TOPIC_CREATE)) {
        List<String> missing = new ArrayList<>();
        for (Topics.Topic<?, ?> t : Topics.of(settings).all()) {
          if (!existing.contains(t.name())) {
            missing.add(t.name());
          }
        }
        if (!missing.isEmpty()) {
          throw new IllegalStateException(
              "topics missing on "
                  + bootstrap
                  + ": "
                  + String.join(", ", missing)
                  + " (create them, or set "
                  + Settings.TOPIC_CREATE
                  + "=true)");
        }
      }
    }
  }

  /**
   * What {@link #createServiceTopics} found.
   *
   * @param created topics it created
   * @param existing topics that existed already (left as they are)
   */
  public record Creation(List<String> created, List<String> existing) {}

  /**
   * Creates the service's topics ({@link Topics#all()}) and the latest-frame store's changelog that
   * do not exist yet.
   */
  public static Creation createServiceTopics(Settings settings) {
    Topics topics = Topics.of(settings);
    int partitions = settings.getInt(Settings.TOPIC_PARTITIONS);
    short rf = settings.getShort(Settings.TOPIC_REPLICATION);
    String maxBytes = String.valueOf(settings.getInt(Settings.FRAME_MAX_BYTES) + (64 << 10));
    Map<String, Object> conf = adminConfig(settings);
    try (Admin admin = Admin.create(conf)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      List<String> model = topics.modelTopics().stream().map(Topics.Topic::name).toList();
      for (Topics.Topic<?, ?> t : topics.all()) {
        if (existing.contains(t.name())) {
          continue;
        }
        if (model.contains(t.name())) {
          // Small, read whole by every instance: one partition orders every activation, and
          // compaction keeps the last one per key.
          missing.add(
              new NewTopic(t.name(), Optional.of(1), rf < 0 ? Optional.empty() : Optional.of(rf))
                  .configs(
                      Map.of(
                          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
          continue;
        }
        NewTopic nt =
            new NewTopic(
                t.name(), Optional.of(partitions), rf < 0 ? Optional.empty() : Optional.of(rf));
        // Frames (and dead letters, which carry them) can exceed the 1 MB default.
        nt.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes));
        missing.add(nt);
      }
      // The latest-frame store's changelog is internal (Kafka Streams would create it), but a
      // topic created by Kafka Streams is produced to before its leader serves (KAFKA-15591: the
      // first transactional batch fails as out of order and the task stalls), so it is created
      // here too, with camera.frames' partition count, and awaited like the others.
      String changelog = LatestFrames.changelog(settings.getString(Settings.APPLICATION_ID));
      if (!existing.contains(changelog)) {
        int framesPartitions =
            existing.contains(topics.cameraFrames().name())
                ? admin
                    .describeTopics(List.of(topics.cameraFrames().name()))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topics.cameraFrames().name())
                    .partitions()
                    .size()
                : partitions;
        NewTopic nt =
            new NewTopic(
                changelog,
                Optional.of(framesPartitions),
                rf < 0 ? Optional.empty() : Optional.of(rf));
        nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        missing.add(nt);
      }
      if (!missing.isEmpty()) {
        createAndAwait(admin, missing, Duration.ofSeconds(30));
        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
      List<String> created = missing.stream().map(NewTopic::name).toList();
      List<String> kept = new ArrayList<>();
      topics.all().forEach(t -> kept.add(t.name()));
      kept.add(changelog);
      kept.removeAll(created);
      return new Creation(created, kept);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics on "
              + conf.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /**
   * Creates the topics that do not exist yet and waits until all of them are usable.
   *
   * @param admin admin client of the target cluster
   * @param partitionsByName partition count per topic name
   * @param replicationFactor replication factor of newly created topics
   * @param timeout upper bound for creation plus leader election
   * @throws IllegalStateException if a topic already exists with a different partition count (Kafka
   *     cannot shrink a topic, and silently keeping the old count would change the app's
   *     parallelism), or on timeout
   */
  public static void createAndAwait(
      Admin admin,
      Map<String, Integer> partitionsByName,
      short replicationFactor,
      Duration timeout) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(partitionsByName, "partitionsByName");
    if (partitionsByName.isEmpty()) {
      return;
    }
    partitionsByName.forEach(
        (name, partitions) -> {
          if (name == null || name.isBlank() || partitions == null || partitions < 1) {
            throw new IllegalArgumentException(
                "topic " + name + ": need a name and >= 1 partitions, got " + partitions);
          }
        });
    List<NewTopic> newTopics = new ArrayList<>();
    partitionsByName.forEach(
        (name, partitions) -> newTopics.add(new NewTopic(name, partitions, replicationFactor)));
    createAndAwait(admin, newTopics, timeout);
  }

  /**
   * Creates {@code topics} (each with its partition count, and its replication factor and configs
   * if set) unless they exist, and waits until all of them are usable.
   *
   * @throws IllegalStateException as {@link #createAndAwait(Admin, Map, short, Duration)}
   */
  public static void createAndAwait(Admin admin, List<NewTopic> topics, Duration timeout) {
    Objects.requireNonNull(admin, "admin");
    if (topics.isEmpty()) {
      return;
    }
    Map<String, Integer> partitionsByName = new java.util.LinkedHashMap<>();
    for (NewTopic t : topics) {
      if (t.numPartitions() < 1) {
        throw new IllegalArgumentException("topic " + t.name() + ": need >= 1 partitions");
      }
      partitionsByName.put(t.name(), t.numPartitions());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, KafkaFuture<Void>> created = admin.createTopics(topics).values();
    for (Map.Entry<String, KafkaFuture<Void>> e : created.entrySet()) {
      try {
        e.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "creating topic " + e.getKey() + " failed: " + ex.getCause(), ex.getCause());
        }
      } catch (TimeoutException ex) {
        throw timedOut("creating topic " + e.getKey(), timeout);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topic " + e.getKey(), ex);
      }
    }
    awaitLeaders(admin, partitionsByName, deadline, timeout);
  }

  // CreateTopics completes once the controller committed the records; the brokers learn about
  // the new partitions (and elect leaders) a little later, hence the describe loop.
  private static void awaitLeaders(
      Admin admin, Map<String, Integer> partitionsByName, long deadline, Duration timeout) {
    while (true) {
      try {
        Map<String, TopicDescription> described =
            admin
                .describeTopics(partitionsByName.keySet())
                .allTopicNames()
                .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        boolean ready = true;
        for (Map.Entry<String, Integer> e : partitionsByName.entrySet()) {
          List<TopicPartitionInfo> partitions = described.get(e.getKey()).partitions();
          if (partitions.size() != e.getValue()) {
            throw new IllegalStateException(
                "topic "
                    + e.getKey()
                    + " already exists with "
                    + partitions.size()
                    + " partitions, but "
                    + e.getValue()
                    + " were requested");
          }
          ready &= partitions.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        }
        if (ready && servedByLeaders(admin, described, deadline)) {
          return;
        }
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException(
              "describing topics " + partitionsByName.keySet() + " failed: " + ex.getCause(),
              ex.getCause());
        }
      } catch (TimeoutException ex) {
        throw timedOut("waiting for leaders of " + partitionsByName.keySet(), timeout);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics", ex);
      }
      if (System.nanoTime() - deadline >= 0) {
        throw timedOut("waiting for leaders of " + partitionsByName.keySet(), timeout);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics", ex);
      }
    }
  }

  /**
   * Whether every partition's leader already serves it. A leader named in the metadata may not have
   * applied the new partition yet and answers NOT_LEADER_OR_FOLLOWER; an idempotent producer with
   * several requests in flight can then lose the first batch for good (KAFKA-15591: the retried
   * batch is rejected as out of order once a later one was appended). A ListOffsets answer comes
   * from the same replica lookup a produce request goes through.
   */
  private static boolean servedByLeaders(
      Admin admin, Map<String, TopicDescription> described, long deadline)
      throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    described.forEach(
        (name, d) ->
            d.partitions()
                .forEach(
                    p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    try {
      admin.listOffsets(latest).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException ex) {
      if (ex.getCause() instanceof RetriableException) {
        return false;
      }
      throw new IllegalStateException(
          "listing offsets of " + described.keySet() + " failed: " + ex.getCause(), ex.getCause());
    }
  }

  private static long remainingMillis(long deadline) {
    // At least 1 ms so that an expired deadline still surfaces as a TimeoutException from get().
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  private static IllegalStateException timedOut(String what, Duration timeout) {
    return new IllegalStateException("timed out after " + timeout.toMillis() + " ms " + what);
  }

  /**
   * Fails unless {@code vehicle.telemetry} has as many partitions as {@code perception.frames}
   * (whose count the repartition topic takes): the join finds a vehicle's telemetry only in the
   * task that owns the vehicle's partition of both.
   */
  public static void checkCopartitioned(Settings settings) throws InterruptedException {
    Topics topics = Topics.of(settings);
    try (Admin a = Admin.create(adminConfig(settings))) {
      Map<String, TopicDescription> d =
          a.describeTopics(List.of(topics.frames().name(), topics.telemetry().name()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      int frames = d.get(topics.frames().name()).partitions().size();
      int telemetry = d.get(topics.telemetry().name()).partitions().size();
      if (frames != telemetry) {
        throw new IllegalStateException(
            topics.telemetry().name()
                + " has "
                + telemetry
                + " partitions but "
                + topics.frames().name()
                + " has "
                + frames
                + ": the telemetry join needs both the same (or set telemetry.enabled=false)");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot check the partitions of " + topics.telemetry().name() + ": " + e, e);
    }
  }
}
