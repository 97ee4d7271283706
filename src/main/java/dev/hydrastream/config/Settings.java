package dev.hydrastream.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The service's settings, modelled once: name, type, default, validator and documentation of each
 * in one {@link ConfigDef}, so a wrong value fails at start with a message naming the setting.
 * Sources, later ones winning: defaults, a properties file, {@code HYDRA_*} environment variables
 * ({@code HYDRA_BATCH_MAX_SIZE} sets {@code batch.max.size}), explicit overrides. Keys starting
 * with {@code kafka.} are passed to Kafka Streams and its clients unchanged (prefix removed) after
 * our own settings, so they can override anything.
 */
public final class Settings extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String APPLICATION_ID = "application.id";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String TOPIC_INPUT = "topic.input";
  public static final String FRAME_WINDOW_START_MS = "frame.window.start.ms";
  public static final String FRAME_WINDOW_END_MS = "frame.window.end.ms";
  public static final String MODEL_DIR = "model.dir";
  public static final String MODEL_REPOSITORY = "model.repository";
  public static final String INSTANCE_ID = "instance.id";
  public static final String BACKGROUND_NICE = "background.nice";
  public static final String MODEL_DEVICE = "model.device";
  public static final String MODEL_INTRA_OP_THREADS = "model.intra.op.threads";
  public static final String MODEL_INTER_OP_THREADS = "model.inter.op.threads";
  public static final String MODEL_MIN_SCORE = "model.min.score";
  public static final String PROCESSING_GUARANTEE = "processing.guarantee";
  public static final String STREAM_THREADS = "stream.threads";
  public static final String BATCH_MAX_SIZE = "batch.max.size";
  public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
  public static final String BATCH_WORKERS = "batch.workers";
  public static final String BATCH_PAD_SINGLE = "batch.pad.single";
  public static final String RESULTS_LATENCY = "results.latency";
  public static final String PREDICT_TIMEOUT_MS = "predict.timeout.ms";
  public static final String MAX_POLL_RECORDS = "max.poll.records";
  public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String FRAME_MAX_BYTES = "frame.max.bytes";
  public static final String FRAME_MAX_WIDTH = "frame.max.width";
  public static final String FRAME_MAX_HEIGHT = "frame.max.height";
  public static final String FRAME_MAX_AGE_MS = "frame.max.age.ms";
  public static final String FRAME_LATE_POLICY = "frame.late.policy";
  public static final String FRAME_OUT_OF_ORDER_POLICY = "frame.out.of.order.policy";
  public static final String OUTPUT_FORMAT = "output.format";
  public static final String STATE_DIR = "state.dir";
  public static final String TOPIC_CREATE = "topic.create";
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  public static final String TOPIC_REPLICATION = "topic.replication.factor";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
  public static final String METRICS_ENABLED = "metrics.enabled";
  public static final String METRICS_CAMERAS_MAX = "metrics.cameras.max";
  public static final String DASHBOARD_UPDATE_MS = "dashboard.update.ms";
  public static final String BOOTSTRAP_TIMEOUT_MS = "bootstrap.timeout.ms";
  public static final String TELEMETRY_ENABLED = "telemetry.enabled";
  public static final String TELEMETRY_HISTORY_RETENTION_MS = "telemetry.history.retention.ms";
  public static final String TELEMETRY_MAX_STALENESS_MS = "telemetry.max.staleness.ms";
  public static final String TELEMETRY_GRACE_MS = "telemetry.grace.ms";
  public static final String CAMERA_VEHICLES = "camera.vehicles";
  public static final String ALERTS_RULES_FILE = "alerts.rules.file";
  public static final String SHADOW_MODEL = "shadow.model";
  public static final String SHADOW_FRACTION = "shadow.fraction";
  public static final String SHADOW_QUEUE_SIZE = "shadow.queue.size";
  public static final String SHADOW_INTRA_OP_THREADS = "shadow.intra.op.threads";

  /** Policy value: a late or out-of-order frame is processed (and counted). */
  public static final String POLICY_PROCESS = "process";

  /** Policy value: a late or out-of-order frame is dead-lettered (and counted), not decoded. */
  public static final String POLICY_DEAD_LETTER = "dead-letter";

  /** {@code results.latency} value: the measured latency is the records' {@code latency_ms}. */
  public static final String LATENCY_RECORD = "record";

  /**
   * {@code results.latency} value: the measured latency is a {@code latency_ms} header, the field
   * is 0, and a result record depends only on its frame, the model and the settings.
   */
  public static final String LATENCY_HEADER = "header";

  /** Prefix of settings passed through to Kafka. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** System property with the installation directory (the launcher sets it). */
  public static final String HOME_PROPERTY = "hydra.home";

  /** Prefix of environment variables read as settings. */
  public static final String ENV_PREFIX = "HYDRA_";

  /** {@code HYDRA_*} variables that belong to the launcher and runtime, not to the settings. */
  public static final Set<String> LAUNCHER_ENV =
      Set.of("HYDRA_JAVA_OPTS", "HYDRA_CACHE_DIR", "HYDRA_HOME");

  public static final ConfigDef DEF =
      TrackingSettings.define(
          new ConfigDef()
              .define(
                  BOOTSTRAP_SERVERS,
                  Type.LIST,
                  "",
                  Importance.HIGH,
                  "Kafka brokers (host:port,...). Required by `run`; `demo` sets its embedded broker.")
              .define(
                  APPLICATION_ID,
                  Type.STRING,
                  "hydrastream",
                  new ConfigDef.NonEmptyString(),
                  Importance.HIGH,
                  "Kafka Streams application id: consumer group and internal topic"
                      + " prefix. Instances with the same id share the work.")
              .define(
                  TOPIC_PREFIX,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "Prefix of every topic name (e.g. `fleet1.` gives `fleet1.camera.frames`).")
              .define(
                  TOPIC_INPUT,
                  Type.STRING,
                  "",
                  Importance.LOW,
                  "The topic frames are read from, by its full name (empty: camera.frames under"
                      + " topic.prefix). `replay` reads a recorded drive with it while writing under"
                      + " its own prefix.")
              .define(
                  FRAME_WINDOW_START_MS,
                  Type.LONG,
                  0L,
                  Range.atLeast(0),
                  Importance.LOW,
                  "Frames whose record timestamp is before this (epoch ms) are skipped: not"
                      + " answered, not dead-lettered, not counted (`replay` sets it).")
              .define(
                  FRAME_WINDOW_END_MS,
                  Type.LONG,
                  Long.MAX_VALUE,
                  Range.atLeast(1),
                  Importance.LOW,
                  "Frames whose record timestamp is at or after this (epoch ms) are skipped, as"
                      + " for frame.window.start.ms (`replay` sets it).")
              .define(
                  MODEL_DIR,
                  Type.STRING,
                  "models/hydranet",
                  new ConfigDef.NonEmptyString(),
                  Importance.HIGH,
                  "Model directory (SavedModel + model.json): the model a service starts with"
                      + " until an activation on perception.control names another.")
              .define(
                  MODEL_REPOSITORY,
                  Type.STRING,
                  "models",
                  new ConfigDef.NonEmptyString(),
                  Importance.MEDIUM,
                  "Model repository: models as NAME/VERSION/ (SavedModel + model.json), which"
                      + " activations on perception.control name. A flat NAME/ holding a model is"
                      + " the version its model.json says (docs/operations.md).")
              .define(
                  INSTANCE_ID,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "This instance's key on perception.model-status (which model it serves, the"
                      + " outcome of its last activation). Empty: the host name and http.port"
                      + " (HOST:PORT).")
              .define(
                  BACKGROUND_NICE,
                  Type.INT,
                  10,
                  Range.between(0, 19),
                  Importance.LOW,
                  "Linux nice value of the threads that load, verify and warm a candidate model"
                      + " (an activation, the shadow) and of the shadow model's calls: they take"
                      + " the cores when serving leaves them idle, so a switch or a shadow does not"
                      + " slow the served model's calls. 0: the service's priority.")
              .define(
                  MODEL_DEVICE,
                  Type.STRING,
                  "auto",
                  ValidString.in("auto", "cpu", "gpu"),
                  Importance.MEDIUM,
                  "Where the model runs: `auto` (GPU if there is one), `cpu`, or `gpu`"
                      + " (refuse to start without one instead of falling back to CPU).")
              .define(
                  MODEL_INTRA_OP_THREADS,
                  Type.INT,
                  0,
                  Range.atLeast(0),
                  Importance.LOW,
                  "TensorFlow intra-op threads (0: TensorFlow decides).")
              .define(
                  MODEL_INTER_OP_THREADS,
                  Type.INT,
                  0,
                  Range.atLeast(0),
                  Importance.LOW,
                  "TensorFlow inter-op threads (0: TensorFlow decides).")
              .define(
                  MODEL_MIN_SCORE,
                  Type.DOUBLE,
                  0.3,
                  Range.between(0.0, 1.0),
                  Importance.MEDIUM,
                  "Detections below this score are not published.")
              .define(
                  PROCESSING_GUARANTEE,
                  Type.STRING,
                  "exactly_once_v2",
                  ValidString.in("exactly_once_v2", "at_least_once"),
                  Importance.HIGH,
                  "Delivery guarantee. `exactly_once_v2`: each frame's results are committed atomically"
                      + " with its input offset (consumers read with isolation.level=read_committed).")
              .define(
                  STREAM_THREADS,
                  Type.INT,
                  4,
                  Range.between(1, 256),
                  Importance.HIGH,
                  "Kafka Streams threads. Each decodes its frames and waits for its batch, so threads"
                      + " beyond the core count are what lets the batcher fill batches.")
              .define(
                  BATCH_MAX_SIZE,
                  Type.INT,
                  8,
                  Range.between(1, 256),
                  Importance.HIGH,
                  "Most frames in one model call.")
              .define(
                  BATCH_MAX_WAIT_MS,
                  Type.INT,
                  5,
                  Range.between(0, 10_000),
                  Importance.MEDIUM,
                  "How long the batcher waits for more frames after the first of a batch arrived.")
              .define(
                  BATCH_WORKERS,
                  Type.INT,
                  1,
                  Range.between(1, 64),
                  Importance.MEDIUM,
                  "Threads running model calls, each with its own predictor (one per device is usual).")
              .define(
                  BATCH_PAD_SINGLE,
                  Type.BOOLEAN,
                  true,
                  Importance.LOW,
                  "Run a lone frame as a batch of two (the frame twice). On the CPU, TensorFlow gives"
                      + " a frame's class probabilities different last bits at batch 1 than at any"
                      + " batch of 2 or more (which agree bit for bit); padding makes a frame's"
                      + " results independent of its batch, so a replay reproduces them byte for"
                      + " byte (docs/operations.md). Costs a frame's compute on lone frames.")
              .define(
                  RESULTS_LATENCY,
                  Type.STRING,
                  LATENCY_RECORD,
                  ValidString.in(LATENCY_RECORD, LATENCY_HEADER),
                  Importance.LOW,
                  "Where the capture-to-result latency (a wall-clock measurement) goes: `record`, the"
                      + " result records' latency_ms field; `header`, a latency_ms header, with the"
                      + " field 0, so that result records are byte-identical on a replay"
                      + " (docs/operations.md).")
              .define(
                  PREDICT_TIMEOUT_MS,
                  Type.INT,
                  5_000,
                  Range.atLeast(100),
                  Importance.LOW,
                  "A frame's prediction taking longer than this fails the stream thread; it is replaced"
                      + " and the uncommitted frames are processed again.")
              .define(
                  MAX_POLL_RECORDS,
                  Type.INT,
                  32,
                  Range.between(1, 10_000),
                  Importance.MEDIUM,
                  "Records per poll: bounds the work between polls.")
              .define(
                  MAX_POLL_INTERVAL_MS,
                  Type.INT,
                  300_000,
                  Range.atLeast(1000),
                  Importance.LOW,
                  "Kafka's max.poll.interval.ms. Must exceed max.poll.records x predict.timeout.ms.")
              .define(
                  COMMIT_INTERVAL_MS,
                  Type.LONG,
                  100L,
                  Range.atLeast(1),
                  Importance.MEDIUM,
                  "How often offsets (and, with exactly-once, transactions) are committed.")
              .define(
                  FRAME_MAX_BYTES,
                  Type.INT,
                  4 << 20,
                  Range.atLeast(1024),
                  Importance.MEDIUM,
                  "Larger encoded frames are dead-lettered (TOO_MANY_BYTES).")
              .define(
                  FRAME_MAX_WIDTH,
                  Type.INT,
                  4096,
                  Range.atLeast(16),
                  Importance.MEDIUM,
                  "Frames wider than this (read from the image header, before decoding) are"
                      + " dead-lettered (TOO_MANY_PIXELS).")
              .define(
                  FRAME_MAX_HEIGHT,
                  Type.INT,
                  4096,
                  Range.atLeast(16),
                  Importance.MEDIUM,
                  "Frames taller than this are dead-lettered (TOO_MANY_PIXELS).")
              .define(
                  FRAME_MAX_AGE_MS,
                  Type.LONG,
                  0L,
                  Range.atLeast(0),
                  Importance.MEDIUM,
                  "A frame is late when this host's clock at its arrival is more than this past its"
                      + " capture_ts (0: no age limit, no frame is late). What happens to late"
                      + " frames: frame.late.policy.")
              .define(
                  FRAME_LATE_POLICY,
                  Type.STRING,
                  POLICY_PROCESS,
                  ValidString.in(POLICY_PROCESS, POLICY_DEAD_LETTER),
                  Importance.MEDIUM,
                  "Late frames (see frame.max.age.ms): `process` them, or `dead-letter` them"
                      + " (reason LATE) before decoding. Counted per camera either way.")
              .define(
                  FRAME_OUT_OF_ORDER_POLICY,
                  Type.STRING,
                  POLICY_PROCESS,
                  ValidString.in(POLICY_PROCESS, POLICY_DEAD_LETTER),
                  Importance.MEDIUM,
                  "Out-of-order frames (capture_ts strictly older than the camera's last answered"
                      + " frame; equal is not out of order): `process` them (answered on the task"
                      + " topics, skipped by the tracker), or `dead-letter` them (reason"
                      + " OUT_OF_ORDER) before decoding. Counted per camera either way.")
              .define(
                  OUTPUT_FORMAT,
                  Type.STRING,
                  "avro",
                  ValidString.in("avro", "json"),
                  Importance.HIGH,
                  "Result record format: Avro single-object encoding (schemas in schemas/) or JSON.")
              .define(
                  STATE_DIR,
                  Type.STRING,
                  "",
                  Importance.LOW,
                  "Kafka Streams state directory (empty: a directory under java.io.tmpdir).")
              .define(
                  TOPIC_CREATE,
                  Type.BOOLEAN,
                  true,
                  Importance.MEDIUM,
                  "Create missing topics at start (existing topics are left as they are).")
              .define(
                  TOPIC_PARTITIONS,
                  Type.INT,
                  8,
                  Range.between(1, 10_000),
                  Importance.MEDIUM,
                  "Partitions of topics created at start. camera.frames is keyed by camera id: its"
                      + " partitions bound the parallelism of all instances together.")
              .define(
                  TOPIC_REPLICATION,
                  Type.SHORT,
                  (short) -1,
                  Range.between(-1, 32),
                  Importance.MEDIUM,
                  "Replication factor of topics created at start (-1: the broker's default).")
              .define(
                  BOOTSTRAP_TIMEOUT_MS,
                  Type.INT,
                  15_000,
                  Range.between(1_000, 600_000),
                  Importance.MEDIUM,
                  "How long start-up waits for the brokers to answer (and, with topic.create=false,"
                      + " checks that every topic exists) before failing with the address named.")
              .define(
                  HTTP_HOST,
                  Type.STRING,
                  "127.0.0.1",
                  new ConfigDef.NonEmptyString(),
                  Importance.HIGH,
                  "Bind address of the HTTP server (dashboard, REST, /metrics, /healthz, /readyz)."
                      + " Loopback by default; 0.0.0.0 serves every interface.")
              .define(
                  HTTP_PORT,
                  Type.INT,
                  8080,
                  Range.between(0, 65535),
                  Importance.HIGH,
                  "Port of the HTTP server (0: a free port, printed at start).")
              .define(
                  HTTP_ADVERTISED_HOST,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "Host name other instances use to reach this one (Kafka Streams'"
                      + " application.server, for forwarding dashboard queries). Empty: http.host, or"
                      + " the canonical host name when http.host is 0.0.0.0.")
              .define(
                  METRICS_ENABLED,
                  Type.BOOLEAN,
                  true,
                  Importance.LOW,
                  "Record per-frame metrics (stage latencies, counts). Off only to measure their cost.")
              .define(
                  METRICS_CAMERAS_MAX,
                  Type.INT,
                  256,
                  Range.between(1, 100_000),
                  Importance.LOW,
                  "Most distinct cameras kept in per-camera state: the camera_id values of"
                      + " hydrastream_frames_received_total (frames of further cameras are counted"
                      + " under camera_id=\"_overflow\") and, per stream task, the dashboard's"
                      + " latest-frame entries and frame rates (the least recently seen camera is"
                      + " dropped first). A flood of fake camera ids cannot grow memory without"
                      + " bound.")
              .define(
                  DASHBOARD_UPDATE_MS,
                  Type.INT,
                  250,
                  Range.between(0, 60_000),
                  Importance.LOW,
                  "A camera's entry in the latest-frame store (thumbnail + results, for the"
                      + " dashboard) is rewritten at most this often.")
              .define(
                  TELEMETRY_ENABLED,
                  Type.BOOLEAN,
                  true,
                  Importance.HIGH,
                  "Join each frame with the vehicle telemetry valid at its capture time"
                      + " (perception.events) and evaluate the alert rules on the events"
                      + " (perception.alerts).")
              .define(
                  TELEMETRY_HISTORY_RETENTION_MS,
                  Type.LONG,
                  60_000L,
                  Range.atLeast(1_000),
                  Importance.MEDIUM,
                  "How far back the versioned telemetry store answers as-of lookups: frames whose"
                      + " capture time is older than this behind the newest telemetry of their"
                      + " partition find none. Must exceed telemetry.max.staleness.ms +"
                      + " telemetry.grace.ms.")
              .define(
                  TELEMETRY_MAX_STALENESS_MS,
                  Type.LONG,
                  1_000L,
                  Range.atLeast(0),
                  Importance.MEDIUM,
                  "Telemetry older than this at a frame's capture time is not joined: the event"
                      + " says STALE.")
              .define(
                  TELEMETRY_GRACE_MS,
                  Type.LONG,
                  500L,
                  Range.between(0, 600_000),
                  Importance.MEDIUM,
                  "How long a frame waits for late or out-of-order telemetry before it is joined:"
                      + " until frames this much newer arrived, or this long in processing time,"
                      + " whichever comes first.")
              .define(
                  CAMERA_VEHICLES,
                  Type.LIST,
                  "",
                  Importance.MEDIUM,
                  "Vehicle of each camera for frames without a vehicle_id, as CAMERA:VEHICLE pairs"
                      + " (e.g. `cam-0:truck-7,cam-1:truck-7`).")
              .define(
                  ALERTS_RULES_FILE,
                  Type.STRING,
                  "topologies/alerts.yaml",
                  new ConfigDef.NonEmptyString(),
                  Importance.MEDIUM,
                  "The alert rules (YAML; CEL conditions), compiled and type-checked at start.")
              .define(
                  SHADOW_MODEL,
                  Type.STRING,
                  "",
                  new ShadowModelValidator(),
                  Importance.MEDIUM,
                  "A candidate model (NAME/VERSION in model.repository) that answers sampled frames"
                      + " after the incumbent, off the critical path, and is compared with it on"
                      + " perception.shadow (docs/operations.md). Empty: no shadow.")
              .define(
                  SHADOW_FRACTION,
                  Type.DOUBLE,
                  1.0,
                  Range.between(0.0, 1.0),
                  Importance.MEDIUM,
                  "Share of frames the shadow model answers, chosen from the frame id (the same"
                      + " frames on every run).")
              .define(
                  SHADOW_QUEUE_SIZE,
                  Type.INT,
                  16,
                  Range.between(1, 10_000),
                  Importance.LOW,
                  "Sampled frames waiting for the shadow model; a frame sampled while it is full"
                      + " is dropped and counted (the stream thread never waits for the shadow).")
              .define(
                  SHADOW_INTRA_OP_THREADS,
                  Type.INT,
                  1,
                  Range.atLeast(0),
                  Importance.LOW,
                  "TensorFlow intra-op threads of the shadow model's session (0: TensorFlow"
                      + " decides), so that it does not take the incumbent's cores."));

  private final Map<String, Object> kafka;

  private Settings(Map<String, ?> props, Map<String, Object> kafka) {
    super(DEF, props, false);
    this.kafka = kafka;
    check();
  }

  /** Settings from explicit values only (defaults for the rest). */
  public static Settings of(Map<String, ?> values) {
    Map<String, Object> own = new LinkedHashMap<>();
    Map<String, Object> kafka = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_PREFIX)) {
            kafka.put(k.substring(KAFKA_PREFIX.length()), v);
          } else if (DEF.configKeys().containsKey(k)) {
            own.put(k, v);
          } else {
            String hint = suggestion(k);
            throw new ConfigException(
                k,
                Secrets.shown(k, v),
                "unknown setting"
                    + (hint == null ? "" : " (did you mean " + hint + "?)")
                    + "; `./hydrastream run --help` lists the settings, and Kafka client"
                    + " settings take the prefix '"
                    + KAFKA_PREFIX
                    + "'");
          }
        });
    return new Settings(own, kafka);
  }

  /**
   * Settings from a properties file (may be null), the environment and overrides, in that order.
   */
  public static Settings load(Path file, Map<String, String> env, Map<String, ?> overrides) {
    return load(Map.of(), file, env, overrides);
  }

  /**
   * Settings from a profile ({@link #profile}), a properties file (may be null), the environment
   * and overrides, in that order: anything the user sets beats the profile.
   */
  public static Settings load(
      Map<String, String> profile, Path file, Map<String, String> env, Map<String, ?> overrides) {
    Map<String, Object> all = new LinkedHashMap<>(profile);
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (NoSuchFileException e) {
        throw new ConfigException("settings file " + file + " does not exist");
      } catch (IOException e) {
        throw new ConfigException(
            "cannot read the settings file "
                + file
                + " ("
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage()
                + ")");
      }
      p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k).trim()));
    }
    env.forEach(
        (k, v) -> {
          String key = settingOfEnv(k);
          if (key != null) {
            all.put(key, v);
          }
        });
    all.putAll(overrides);
    return of(all);
  }

  /** The named settings profiles shipped in the jar ({@code profiles/NAME.properties}). */
  public static final List<String> PROFILES = List.of("default", "low-latency");

  /**
   * The settings of profile {@code name}: {@code default} is empty (the defaults above), the others
   * are read from the jar; an unknown name fails naming {@code --profile} and the known ones.
   */
  public static Map<String, String> profile(String name) {
    Properties p = profileFile(name);
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    out.remove(PROFILE_JVM_OPTIONS);
    // Checked like any settings: a typo in a profile fails here, naming the key.
    of(out);
    return out;
  }

  /**
   * Key of a profile file that is not a setting: the JVM flags the profile runs with, separated by
   * spaces. The launchers ({@code ./hydrastream}, the distribution's {@code bin/hydrastream}) read
   * it from the profile file before the JVM starts and put the flags before {@code
   * HYDRA_JAVA_OPTS}; the benches start their service JVMs with them ({@link #profileJvmOptions}).
   */
  public static final String PROFILE_JVM_OPTIONS = "jvm.options";

  /** The JVM flags of profile {@code name} (none for {@code default}); see {@link #profile}. */
  public static List<String> profileJvmOptions(String name) {
    String flags = profileFile(name).getProperty(PROFILE_JVM_OPTIONS, "").trim();
    return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
  }

  /** Profile {@code name}'s file from the jar (empty for {@code default}). */
  private static Properties profileFile(String name) {
    Properties p = new Properties();
    if (name == null || name.equals("default")) {
      return p;
    }
    if (!PROFILES.contains(name)) {
      throw new ConfigException(
          "--profile", name, "unknown profile; known profiles: " + String.join(", ", PROFILES));
    }
    try (InputStream in = Settings.class.getResourceAsStream("/profiles/" + name + ".properties")) {
      if (in == null) {
        throw new IllegalStateException("profile " + name + " is missing from the jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read profile " + name, e);
    }
    return p;
  }

  /**
   * {@code HYDRA_*} variables of {@code env} that are neither a setting, a {@code kafka.*}
   * pass-through nor one of the launcher's own ({@link #LAUNCHER_ENV}), each with a hint: typos
   * that would otherwise be ignored silently.
   */
  public static List<String> unknownEnvironment(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(env)
        .keySet()
        .forEach(
            k -> {
              if (k.startsWith(ENV_PREFIX)
                  && !LAUNCHER_ENV.contains(k)
                  && settingOfEnv(k) == null) {
                String hint = suggestion(fromEnv(k));
                out.add(
                    k
                        + " is not a setting"
                        + (hint == null ? "" : " (did you mean " + toEnv(hint) + "?)")
                        + "; it is ignored");
              }
            });
    return out;
  }

  /** The setting an environment variable sets, or null. */
  private static String settingOfEnv(String var) {
    if (!var.startsWith(ENV_PREFIX) || LAUNCHER_ENV.contains(var)) {
      return null;
    }
    String key = fromEnv(var);
    return DEF.configKeys().containsKey(key) || key.startsWith(KAFKA_PREFIX) ? key : null;
  }

  /** {@code batch.max.size} → {@code HYDRA_BATCH_MAX_SIZE}. */
  static String toEnv(String setting) {
    return ENV_PREFIX + setting.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The known setting closest to {@code key} (edit distance up to a third of it), or null. */
  static String suggestion(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : DEF.names()) {
      int d = distance(key, known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** {@code HYDRA_BATCH_MAX_SIZE} → {@code batch.max.size}; {@code HYDRA_KAFKA_...} → kafka.*. */
  static String fromEnv(String var) {
    return var.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private void check() {
    TrackingSettings.check(this);
    long worst = (long) getInt(MAX_POLL_RECORDS) * getInt(PREDICT_TIMEOUT_MS);
    if (worst >= getInt(MAX_POLL_INTERVAL_MS)) {
      throw new ConfigException(
          MAX_POLL_INTERVAL_MS,
          getInt(MAX_POLL_INTERVAL_MS),
          "must exceed "
              + MAX_POLL_RECORDS
              + " x "
              + PREDICT_TIMEOUT_MS
              + " = "
              + worst
              + " ms, or a slow batch could make the consumer leave its group mid-poll");
    }
  }

  /** {@code shadow.model}: empty or NAME/VERSION. */
  private static final class ShadowModelValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      shadowModel(value == null ? "" : value.toString());
    }

    @Override
    public String toString() {
      return "empty, or NAME/VERSION";
    }
  }

  /**
   * The name and version {@code shadow.model} names, or null when it is empty.
   *
   * @throws ConfigException naming {@code shadow.model} when it is not NAME/VERSION
   */
  public static String[] shadowModel(String value) {
    if (value.isBlank()) {
      return null;
    }
    String[] parts = value.strip().split("/", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new ConfigException(
          SHADOW_MODEL, value, "not NAME/VERSION (a model of model.repository, e.g. hydranet/3)");
    }
    return parts;
  }

  /** Fails naming the setting if a required value is missing. */
  public Settings require(String name) {
    Object v = values().get(name);
    if (v == null
        || (v instanceof java.util.List<?> l && l.isEmpty())
        || (v instanceof String s && s.isBlank())) {
      throw new ConfigException(name, v, "this setting is required here");
    }
    return this;
  }

  /**
   * The model directory: {@code model.dir} as given when it is absolute or exists relative to the
   * working directory, else relative to the installation directory (system property {@value
   * #HOME_PROPERTY}, set by the launcher), so the service starts from any directory.
   */
  public Path modelDir() {
    return installRelative(Path.of(getString(MODEL_DIR)));
  }

  /** The model repository ({@code model.repository}), found like {@link #modelDir()}. */
  public Path modelRepository() {
    return installRelative(Path.of(getString(MODEL_REPOSITORY)));
  }

  /** The alert rules file ({@code alerts.rules.file}), found like {@link #modelDir()}. */
  public Path alertRulesFile() {
    return installRelative(Path.of(getString(ALERTS_RULES_FILE)));
  }

  /**
   * {@code given} when it is absolute or exists relative to the working directory, else the same
   * path under the installation directory (system property {@value #HOME_PROPERTY}) when it exists
   * there, else {@code given}: what the tools use to find files shipped with hydrastream (the
   * default model) from any working directory.
   */
  public static Path installRelative(Path given) {
    if (given.isAbsolute() || Files.exists(given)) {
      return given;
    }
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && Files.exists(Path.of(home).resolve(given))) {
      return Path.of(home).resolve(given);
    }
    return given;
  }

  /** Kafka settings given with the {@code kafka.} prefix (prefix removed). */
  public Map<String, Object> kafkaOverrides() {
    return kafka;
  }

  /** A copy with some values replaced. */
  public Settings with(Map<String, ?> overrides) {
    Map<String, Object> all = new LinkedHashMap<>(originals());
    kafka.forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
    all.putAll(overrides);
    return of(all);
  }
}
