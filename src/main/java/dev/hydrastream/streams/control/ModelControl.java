package dev.hydrastream.streams.control;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.Activation;
import dev.hydrastream.inference.ModelRepository;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.runtime.BackgroundPriority;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.topics.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's reader of perception.control: a plain consumer assigned every partition (not a
 * member of the Streams group, so each instance sees every record). {@link #start} reads the topic
 * to its end and applies the last activation before the service serves, so a restarted instance
 * serves the active model; afterwards a thread of its own applies each new activation ({@link
 * Serving#activate}: load, verify, warm, switch, or refuse and keep serving). Each outcome is
 * logged, counted ({@code hydrastream_model_activations_total}), kept for {@code /api/model} and
 * reported on perception.model-status under this instance's id; closing removes that record.
 */
public final class ModelControl implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelControl.class);

  private static final Duration POLL = Duration.ofMillis(500);

  /** Longest wait on close for an activation under way. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(90);

  private final Settings settings;
  private final Serving serving;
  private final ServiceMetrics metrics;
  private final PerceptionModel.Options options;
  private final Consumer<ModelCard> served;
  private final ModelRepository repository;
  private final Topics topics;
  private final String instance;
  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> producer;
  private volatile ControlRecords.LastActivation last;
  private volatile boolean closed;
  private Thread thread;

  /**
   * @param served told the served model's card after each switch (e.g. to update the model info
   *     metric)
   */
  public ModelControl(
      Settings settings,
      Serving serving,
      ServiceMetrics metrics,
      PerceptionModel.Options options,
      Consumer<ModelCard> served) {
    this.settings = settings;
    this.serving = serving;
    this.metrics = metrics;
    this.options = options;
    this.served = served;
    this.repository = new ModelRepository(settings.modelRepository());
    this.topics = Topics.of(settings);
    this.instance = instanceId(settings);
    this.consumer = plainConsumer(settings);
    this.producer = plainProducer(settings);
  }

  /** A consumer outside any group (it is assigned partitions), with the kafka.* pass-through. */
  private static KafkaConsumer<String, String> plainConsumer(Settings settings) {
    Map<String, Object> c = TopicAdmin.clientConfig(settings, ConsumerConfig.configNames());
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
  }

  /** A plain (not transactional) producer with the kafka.* pass-through. */
  private static KafkaProducer<String, String> plainProducer(Settings settings) {
    Map<String, Object> p = TopicAdmin.clientConfig(settings, ProducerConfig.configNames());
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** {@code instance.id}, or this host's name and {@code http.port}. */
  public static String instanceId(Settings settings) {
    String id = settings.getString(Settings.INSTANCE_ID);
    if (!id.isBlank()) {
      return id;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + settings.getInt(Settings.HTTP_PORT);
  }

  /** This instance's key on perception.model-status. */
  public String instance() {
    return instance;
  }

  /** The last activation this instance handled, or null. */
  public ControlRecords.LastActivation last() {
    return last;
  }

  /**
   * Reads perception.control to its end, applies its last activation (if it names another model
   * than the served one), reports the status, and starts following the topic.
   */
  public void start() throws InterruptedException {
    String topic = topics.control().name();
    ControlRecords.Activate[] latest = new ControlRecords.Activate[1];
    long[] latestTs = {Long.MIN_VALUE};
    TopicAdmin.readToEnd(
        consumer,
        topic,
        Duration.ofSeconds(60),
        r -> {
          ControlRecords.Activate a = parse(r);
          // one partition orders them; across several (a topic made by hand), the newest wins
          if (a != null && r.timestamp() >= latestTs[0]) {
            latest[0] = a;
            latestTs[0] = r.timestamp();
          }
        });
    ControlRecords.Activate latestActivation = latest[0];
    if (latestActivation != null && !latestActivation.id().equals(serving.card().id())) {
      LOG.info(
          "{} is the last activation on {}; applying it before serving",
          latestActivation.id(),
          topic);
      apply(latestActivation);
    } else {
      report();
    }
    thread = new Thread(this::follow, "hydra-model-control");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    // loading and warming a candidate competes with serving for the cores: it gets what is idle
    BackgroundPriority.lowerCurrentThread(settings.getInt(Settings.BACKGROUND_NICE));
    try {
      while (!closed) {
        try {
          ControlRecords.Activate next = null;
          for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
            ControlRecords.Activate a = parse(r);
            if (a != null) {
              next = a; // of several in one poll only the last counts
            }
          }
          if (next != null) {
            apply(next);
          }
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // the served model is untouched; keep following rather than go deaf to activations
          LOG.error(
              "model control: {}; reading {} again in {}", e, topics.control().name(), RETRY, e);
          Thread.sleep(RETRY.toMillis());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Pause after an unexpected failure while following the control topic. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  private ControlRecords.Activate parse(ConsumerRecord<String, String> r) {
    if (r.value() == null) {
      return null; // a tombstone: nothing to activate
    }
    try {
      return ControlRecords.Activate.parse(r.value());
    } catch (IllegalArgumentException e) {
      LOG.error(
          "{} offset {} (key {}): not an activation, ignored: {}",
          r.topic() + "-" + r.partition(),
          r.offset(),
          r.key(),
          e.getMessage());
      return null;
    }
  }

  /** Loads, verifies and switches to the model {@code a} names, or refuses it. */
  void apply(ControlRecords.Activate a) throws InterruptedException {
    long t0 = System.nanoTime();
    Activation outcome;
    Path dir = null;
    try {
      dir = repository.resolve(a.model(), a.version());
    } catch (IllegalArgumentException e) {
      LOG.error(
          "model {} version {} refused; {} keeps serving: {}",
          a.model(),
          a.version(),
          serving.card().id(),
          e.getMessage());
    }
    if (dir == null) {
      outcome =
          Activation.refused(
              a.model(),
              a.version(),
              null,
              "not in the repository " + repository.root(),
              (System.nanoTime() - t0) / 1_000_000);
    } else if (a.id().equals(serving.card().id())) {
      LOG.info("{} is already served", a.id());
      outcome =
          new Activation(
              a.model(),
              a.version(),
              dir,
              Activation.Outcome.ACTIVATED,
              null,
              serving.identity().sha256(),
              0);
    } else {
      outcome =
          serving.activate(
              a.model(), a.version(), dir, options, settings.getInt(Settings.BATCH_MAX_SIZE));
    }
    metrics.modelActivation(a.model(), a.version(), outcome.outcome().label());
    if (outcome.outcome() == Activation.Outcome.ACTIVATED) {
      served.accept(serving.card());
    }
    last = ControlRecords.LastActivation.of(outcome, a.request(), System.currentTimeMillis());
    report();
  }

  /** Writes this instance's status record (best effort: a failure is logged). */
  private void report() {
    ModelCard card = serving.card();
    ControlRecords.Status s =
        new ControlRecords.Status(
            instance,
            card.name(),
            card.version(),
            serving.identity().sha256(),
            last,
            System.currentTimeMillis());
    send(s.toJson());
  }

  private void send(String value) {
    producer.send(
        new ProducerRecord<>(topics.modelStatus().name(), instance, value),
        (md, e) -> {
          if (e != null) {
            LOG.warn("status not written to {}: {}", topics.modelStatus().name(), e.toString());
          }
        });
    producer.flush();
  }

  /** Stops following the topic and removes this instance's status record. */
  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    if (thread != null) {
      try {
        // an activation under way ends first (loading, verifying, the workers' switch)
        thread.join(CLOSE_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumer.close(Duration.ofSeconds(5));
    if (thread != null) {
      send(null); // gone: model status lists running instances
    }
    producer.close(Duration.ofSeconds(5));
  }

  /**
   * Puts an activation on perception.control (keyed by model name) and waits for the broker's
   * acknowledgement; what {@code model activate} does after its local checks.
   *
   * @throws IllegalStateException naming the topic when it does not exist
   */
  public static void request(Settings settings, ControlRecords.Activate activation)
      throws InterruptedException {
    String topic = Topics.of(settings).control().name();
    requireTopic(settings, topic);
    try (KafkaProducer<String, String> producer = plainProducer(settings)) {
      producer
          .send(new ProducerRecord<>(topic, activation.model(), activation.toJson()))
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(topic + ": the activation was not written: " + e, e);
    }
  }

  /**
   * What every running instance reports on perception.model-status, by instance id: the topic read
   * to its end (an instance that closed removed its record).
   */
  public static Map<String, ControlRecords.Status> statuses(Settings settings) {
    String topic = Topics.of(settings).modelStatus().name();
    requireTopic(settings, topic);
    Map<String, ControlRecords.Status> out = new java.util.TreeMap<>();
    try (KafkaConsumer<String, String> consumer = plainConsumer(settings)) {
      TopicAdmin.readToEnd(
          consumer,
          topic,
          Duration.ofSeconds(30),
          r -> {
            if (r.value() == null) {
              out.remove(r.key());
              return;
            }
            try {
              out.put(r.key(), ControlRecords.Status.parse(r.value()));
            } catch (IllegalArgumentException e) {
              LOG.warn("{} offset {}: {}", topic, r.offset(), e.getMessage());
            }
          });
    }
    return out;
  }

  /**
   * Waits until every instance listed on perception.model-status has answered {@code request} (its
   * last activation names it), reading the topic once a second, at most {@code timeout}: what
   * {@code model activate --wait} and {@code demo --switch-model} wait for.
   *
   * @return what the instances report when all answered, or at the timeout
   */
  public static Map<String, ControlRecords.Status> await(
      Settings settings, String request, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, ControlRecords.Status> now = statuses(settings);
      boolean all =
          !now.isEmpty()
              && now.values().stream()
                  .allMatch(s -> s.last() != null && request.equals(s.last().request()));
      if (all || System.nanoTime() > deadline) {
        return now;
      }
      Thread.sleep(1_000);
    }
  }

  private static void requireTopic(Settings settings, String topic) {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(TopicAdmin.adminConfig(settings))) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        throw new IllegalStateException(
            topic
                + " does not exist on "
                + String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS))
                + " (`hydrastream topics create`, or an instance with topic.create=true, makes it)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "cannot list topics on "
              + String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS))
              + ": "
              + e,
          e);
    }
  }
}
