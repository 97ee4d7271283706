package dev.hydrastream.kafka;

import dev.hydrastream.streams.admin.TopicAdmin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.FaultHandlerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.FaultHandlerException;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, bound to
 * 127.0.0.1 only, for {@code hydrastream demo} and the benchmarks.
 *
 * <p>It runs Kafka's own {@link ControllerServer} and {@link BrokerServer} the way {@code
 * KafkaRaftServer} (what {@code kafka-server-start.sh} runs) wires them, with two differences that
 * matter inside someone else's JVM: the listener sockets are bound before the broker starts (no
 * race for a "free" port, an occupied {@code optPort} fails at once), and a fatal broker fault is
 * logged and raised instead of halting the JVM. (Kafka still halts the JVM by itself when all log
 * dirs fail.)
 *
 * <p>Settings for one node: replication factor 1 and min ISR 1 for the internal topics, no initial
 * rebalance delay, 1 partition for auto-sized topics and <b>no automatic topic creation</b> (a
 * misspelt topic name should fail loudly; create topics with {@link #createTopics(Map)}, Kafka
 * Streams creates its internal topics itself). The log lives in {@code <dataDir>/kafka-logs}, so
 * the same data dir can hold other state (the broker treats every sub-directory of its log dir as a
 * partition). A log dir that is already formatted is reused.
 *
 * <p>Usage: {@code try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) { ... }}.
 * Producers that send records above 1 MiB must raise {@code max.request.size} themselves; the
 * broker accepts up to {@link #maxMessageBytes()}.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Default broker and topic {@code message.max.bytes}: room for full-size camera frames. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String LOG_DIR_NAME = "kafka-logs";
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Settings EmbeddedKafka derives itself; overriding them would break {@link #bootstrapServers()}.
   */
  private static final Set<String> RESERVED_CONFIGS =
      Set.of(
          "process.roles",
          "node.id",
          "listeners",
          "advertised.listeners",
          "controller.listener.names",
          "listener.security.protocol.map",
          "inter.broker.listener.name",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "log.dirs",
          "log.dir",
          "metadata.log.dir");

  private final Path requestedDataDir;
  private final int requestedPort;
  private final int maxMessageBytes;
  private final Map<String, String> extraConfig;
  private final Duration startTimeout;

  /** First fatal fault the broker reported; Kafka expects the process to die after one. */
  private final AtomicReference<FaultHandlerException> fatalFault = new AtomicReference<>();

  private Path dataDir;
  private boolean ownsDataDir;
  private PreboundSockets sockets;
  private ControllerServer controller;
  private BrokerServer broker;
  private Admin admin;
  private String bootstrapServers;
  private Duration startupTime;
  private boolean started;
  private boolean closed;

  private EmbeddedKafka(Builder b) {
    this.requestedDataDir = b.dataDir;
    this.requestedPort = b.port;
    this.maxMessageBytes = b.maxMessageBytes;
    this.extraConfig = Map.copyOf(b.config);
    this.startTimeout = b.startTimeout;
  }

  /** Starts configuring an embedded broker; nothing happens until {@link #start()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the log dir if needed, starts the broker and returns once a metadata round trip through
   * the broker's client listener shows it registered.
   *
   * @return this, for try-with-resources chaining
   * @throws IllegalStateException if the port is taken, the broker fails, or it is not ready within
   *     the start timeout; everything started is stopped again
   */
  public synchronized EmbeddedKafka start() {
    if (started || closed) {
      throw new IllegalStateException(
          closed ? "EmbeddedKafka is closed" : "EmbeddedKafka already started");
    }
    started = true;
    long t0 = System.nanoTime();
    long deadline = t0 + startTimeout.toNanos();
    BrokerLogging.quietUnlessConfigured();
    try {
      prepareDataDir();
      sockets = new PreboundSockets(requestedPort);
      KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
      Path logDir = logDir();
      if (!Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
        format(logDir);
      }
      startServers(config);
      bootstrapServers = HOST + ":" + sockets.brokerPort;
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers,
                  AdminClientConfig.CLIENT_ID_CONFIG,
                  "hydrastream-embedded-kafka"));
      awaitReady(deadline);
    } catch (Throwable t) {
      close();
      if (t instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(failureMessage(t), t);
    }
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    LOG.debug(
        "Kafka {} ready at {} in {} ms (data dir {})",
        AppInfoParser.getVersion(),
        bootstrapServers,
        startupTime.toMillis(),
        dataDir);
    return this;
  }

  /**
   * The {@code bootstrap.servers} value for clients of this broker, e.g. {@code 127.0.0.1:40123}.
   */
  public synchronized String bootstrapServers() {
    requireRunning();
    return bootstrapServers;
  }

  /**
   * Creates the given topics (replication factor 1) unless they exist, and waits until every
   * partition has a leader.
   *
   * @throws IllegalStateException if a topic exists with another partition count, or on timeout
   */
  public void createTopics(Map<String, Integer> partitionsByName) {
    Admin a;
    synchronized (this) {
      requireRunning();
      a = admin;
    }
    TopicAdmin.createAndAwait(a, partitionsByName, (short) 1, TOPIC_TIMEOUT);
  }

  /** The largest record batch the broker accepts ({@code message.max.bytes}). */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The data dir in use; the broker's log is in its {@code kafka-logs} sub-directory. */
  public synchronized Path dataDir() {
    requireRunning();
    return dataDir;
  }

  /** How long {@link #start()} took, from formatting to the readiness round trip. */
  public synchronized Duration startupTime() {
    requireRunning();
    return startupTime;
  }

  /**
   * Stops the broker (controlled shutdown, bounded by 30 s) and deletes the data dir if it was a
   * temporary one. Idempotent; never throws.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
    if (broker != null || controller != null) {
      stopServersBounded(broker, controller);
      broker = null;
      controller = null;
    }
    if (sockets != null) {
      sockets.close();
      sockets = null;
    }
    if (ownsDataDir && dataDir != null) {
      try {
        Utils.delete(dataDir.toFile());
      } catch (IOException e) {
        LOG.warn("could not delete the embedded Kafka temp dir {}: {}", dataDir, e.toString());
      }
    }
  }

  private void prepareDataDir() throws IOException {
    if (requestedDataDir == null) {
      dataDir = Files.createTempDirectory("hydrastream-kafka-");
      ownsDataDir = true;
    } else {
      dataDir = requestedDataDir.toAbsolutePath();
    }
    Files.createDirectories(logDir());
  }

  private Path logDir() {
    return dataDir.resolve(LOG_DIR_NAME);
  }

  private Properties brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    // Static voter (kraft.version 0): the controller port changes between restarts of a
    // reused data dir, and a static voter set is read from the config, not from the log.
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + sockets.controllerPort);
    p.put(
        "listeners",
        url(BROKER_LISTENER, sockets.brokerPort)
            + ","
            + url(CONTROLLER_LISTENER, sockets.controllerPort));
    p.put("advertised.listeners", url(BROKER_LISTENER, sockets.brokerPort));
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", logDir().toString());
    p.putAll(singleNodeDefaults(maxMessageBytes, startTimeout));
    p.putAll(extraConfig);
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  private static String url(String listener, int port) {
    return listener + "://" + HOST + ":" + port;
  }

  /** Broker settings for a single node that the user may still override with {@code optConfig}. */
  static Map<String, String> singleNodeDefaults(int maxMessageBytes, Duration startTimeout) {
    Map<String, String> p = new LinkedHashMap<>();
    // Internal topics must fit on one broker (the defaults are 3 replicas, min ISR 2).
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // 50 partitions each (the default) only slow down the first group join / transaction.
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", String.valueOf(maxMessageBytes));
    p.put("replica.fetch.max.bytes", String.valueOf(maxMessageBytes));
    // The compaction dedupe buffer is allocated on the heap up front: 128 MiB by default.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    // Bounds the controller's and broker's own start-up waits, including broker registration.
    p.put("server.max.startup.time.ms", String.valueOf(startTimeout.toMillis()));
    p.put("initial.broker.registration.timeout.ms", String.valueOf(startTimeout.toMillis()));
    return p;
  }

  /** Formats the log dir like {@code kafka-storage.sh format} would, with a fresh cluster id. */
  private static void format(Path logDir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(ps)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    }
    LOG.debug("formatted {}: {}", logDir, out.toString(StandardCharsets.UTF_8).strip());
  }

  /**
   * The body of {@code KafkaRaftServer}'s constructor and {@code startup()}, with our socket and
   * fault handling.
   */
  private void startServers(KafkaConfig config) throws Exception {
    Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> dirs =
        KafkaRaftServer.initializeLogDirs(config, LOG, "[EmbeddedKafka] ");
    SharedServer shared =
        new SharedServer(
            config,
            dirs._1(),
            Time.SYSTEM,
            Server.initializeMetrics(config, Time.SYSTEM, dirs._1().clusterId().get()),
            CompletableFuture.completedFuture(
                Map.of(NODE_ID, new InetSocketAddress(HOST, sockets.controllerPort))),
            List.of(),
            faultHandlers(),
            sockets);
    // Controller first: the broker finds its controller endpoints through it.
    controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), dirs._2());
    broker = new BrokerServer(shared);
    controller.startup();
    broker.startup();
    throwIfFatalFault();
  }

  private FaultHandlerFactory faultHandlers() {
    return (name, fatal, action) ->
        fatal ? recordingFaultHandler(name, action) : new LoggingFaultHandler(name, action);
  }

  /**
   * A real round trip: the broker answers DescribeCluster listing itself and a controller
   * (readiness of the controller, the broker's registration and the client listener).
   */
  private void awaitReady(long deadline) throws TimeoutException, InterruptedException {
    Exception last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        DescribeClusterResult cluster = admin.describeCluster();
        long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        Collection<Node> nodes = cluster.nodes().get(waitMs, TimeUnit.MILLISECONDS);
        Node active = cluster.controller().get(waitMs, TimeUnit.MILLISECONDS);
        if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)
            && active != null
            && !active.isEmpty()) {
          throwIfFatalFault();
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    TimeoutException timeout =
        new TimeoutException(
            "no DescribeCluster answer listing the broker"
                + (last == null ? "" : " (last error: " + last + ")"));
    timeout.initCause(last);
    throw timeout;
  }

  private void throwIfFatalFault() {
    FaultHandlerException fault = fatalFault.get();
    if (fault != null) {
      throw fault;
    }
  }

  private String failureMessage(Throwable t) {
    String reason;
    if (t instanceof PreboundSockets.PortInUseException) {
      reason = t.getMessage();
    } else if (causedBy(t, TimeoutException.class)) {
      reason =
          String.format(
              "not ready within the start timeout of %d ms: %s",
              startTimeout.toMillis(), t.getMessage());
    } else {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      reason = t.getMessage() + (root == t ? "" : " (root cause: " + root + ")");
    }
    return String.format(
        "embedded Kafka %s failed to start (data dir %s): %s",
        AppInfoParser.getVersion(), dataDir, reason);
  }

  // Controlled shutdown (broker first, it needs the controller) normally takes a fraction of a
  // second; the bound keeps a wedged broker from hanging the demo's exit.
  private static void stopServersBounded(BrokerServer broker, ControllerServer controller) {
    Thread stopper =
        new Thread(
            () -> {
              if (broker != null) {
                shutdownQuietly("broker", broker::shutdown);
                shutdownQuietly("broker", broker::awaitShutdown);
              }
              if (controller != null) {
                shutdownQuietly("controller", controller::shutdown);
                shutdownQuietly("controller", controller::awaitShutdown);
              }
            },
            "embedded-kafka-shutdown");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(SHUTDOWN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      LOG.warn(
          "embedded Kafka did not shut down within {} s; continuing", SHUTDOWN_TIMEOUT.toSeconds());
    }
  }

  private static void shutdownQuietly(String what, Runnable step) {
    try {
      step.run();
    } catch (Exception e) { // Scala code may also throw undeclared checked exceptions
      LOG.warn("embedded Kafka {} shutdown failed: {}", what, e.toString());
    }
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private void requireRunning() {
    if (!started || closed || broker == null) {
      throw new IllegalStateException(
          "EmbeddedKafka is not running (call start(); not usable after close())");
    }
  }

  /**
   * A fatal fault handler that logs a fault and keeps the first one instead of halting the JVM as
   * Kafka's default handler does.
   */
  private FaultHandler recordingFaultHandler(String name, Runnable action) {
    return (failureMessage, cause) -> {
      FaultHandlerException fault = new FaultHandlerException(name + ": " + failureMessage, cause);
      LOG.error(
          "embedded Kafka: fatal fault in {} ({}); the broker may be unusable, restart it",
          name,
          failureMessage,
          cause);
      try {
        action.run();
      } catch (RuntimeException e) {
        fault.addSuppressed(e);
      }
      fatalFault.compareAndSet(null, fault);
      return fault;
    };
  }

  /** Options of an {@link EmbeddedKafka}; every option has a default. */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private final Map<String, String> config = new LinkedHashMap<>();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;

    private Builder() {}

    /**
     * Keeps the broker's data here across runs; default (also for {@code null}, so an unset CLI
     * option can be passed through): a temp dir deleted on close.
     */
    public Builder optDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Client port on 127.0.0.1; 0 (default) picks a free one. The controller always gets a free
     * port.
     */
    public Builder optPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Broker {@code message.max.bytes} (and so the topics' default); default 4 MiB. */
    public Builder optMaxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes <= 0) {
        throw new IllegalArgumentException("maxMessageBytes must be > 0, got " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * Any further broker setting, applied after the defaults (e.g. {@code
     * auto.create.topics.enable}). Listener, quorum, role and log-dir settings are derived from the
     * other options and rejected.
     */
    public Builder optConfig(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (RESERVED_CONFIGS.contains(key)) {
        throw new IllegalArgumentException(key + " is set by EmbeddedKafka itself");
      }
      config.put(key, value);
      return this;
    }

    /** Upper bound for {@link EmbeddedKafka#start()}; default 60 s. */
    public Builder optStartTimeout(Duration startTimeout) {
      if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /** A configured, not yet started broker. */
    public EmbeddedKafka build() {
      return new EmbeddedKafka(this);
    }
  }
}
