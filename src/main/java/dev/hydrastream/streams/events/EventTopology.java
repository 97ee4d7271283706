package dev.hydrastream.streams.events;

import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.telemetry.AlertRules;
import dev.hydrastream.telemetry.RuleEngine;
import dev.hydrastream.wire.OutputFormat;
import dev.hydrastream.wire.ResultSerdes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The event stages, built with the DSL: perception joined with the vehicle state at capture time
 * ({@code perception.events}), then the alert rules ({@code perception.alerts}).
 *
 * <pre>
 * perception.frames → events-summarize → (repartition by vehicle: events-by-vehicle) ─┐
 * vehicle.telemetry → events-telemetry-store ⇢ [vehicle-telemetry: versioned store]   │
 *                                 events-join ◄──────────────────────────────────────────┘
 *                                     ├→ perception.events
 *                                     └→ events-alerts [alert-state] → perception.alerts
 * </pre>
 *
 * Node names start with {@code events-}, after the perception source's {@code camera-frames}, so
 * the perception sub-topology keeps id 0. The telemetry topic and the repartition topic must have
 * the same partition count (checked at start by {@code TopicAdmin.checkCopartitioned}).
 */
public final class EventTopology {

  public static final String TELEMETRY_IN = "events-telemetry-store";
  static final String SUMMARIZE = "events-summarize";
  static final String BY_VEHICLE = "events-by-vehicle";
  static final String JOIN = "events-join";
  static final String ALERTS = "events-alerts";
  static final String TELEMETRY_STORE = "vehicle-telemetry";
  static final String JOIN_BUFFER = "events-join-buffer";
  static final String ALERT_STATE = "alert-state";

  private EventTopology() {}

  /**
   * A topology holding the event stages (the perception nodes are added to it afterwards).
   *
   * @throws dev.hydrastream.telemetry.RuleException if the rules file is unusable
   */
  public static Topology topology(Settings settings, Topics topics) {
    AlertRules rules = AlertRules.load(settings.alertRulesFile());
    RuleEngine engine = new RuleEngine(rules);
    String contentType = topics.format().contentType();
    checkRetention(settings);
    Map<String, String> cameraVehicles = cameraVehicles(settings);
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.versionedKeyValueStoreBuilder(
            Stores.persistentVersionedKeyValueStore(
                TELEMETRY_STORE,
                Duration.ofMillis(settings.getLong(Settings.TELEMETRY_HISTORY_RETENTION_MS))),
            Serdes.String(),
            ResultSerdes.serde(VehicleTelemetry.class, OutputFormat.AVRO)));
    // In memory (still changelogged): it holds only the frames of the last grace period, and as a
    // queue (put, scan from the oldest, delete) it would leave RocksDB tombstones that every scan
    // walks over until a compaction.
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(JOIN_BUFFER), Serdes.Bytes(), Serdes.ByteArray()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ALERT_STATE), Serdes.String(), Serdes.ByteArray()));

    Topics.Topic<String, byte[]> telemetry = topics.telemetry();
    b.stream(
            telemetry.name(),
            Consumed.with(telemetry.keySerde(), telemetry.valueSerde())
                .withName("events-telemetry-in"))
        .process(TelemetryStoreProcessor::new, Named.as(TELEMETRY_IN), TELEMETRY_STORE);

    KStream<String, PerceptionEvent> events =
        b.stream(
                topics.frames().name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events-frames-in"))
            .process(() -> new FrameEventProcessor(cameraVehicles), Named.as(SUMMARIZE))
            .repartition(
                Repartitioned.<String, byte[]>as(BY_VEHICLE)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(Serdes.ByteArray()))
            .process(
                () ->
                    new TelemetryJoinProcessor(
                        settings.getLong(Settings.TELEMETRY_GRACE_MS),
                        settings.getLong(Settings.TELEMETRY_MAX_STALENESS_MS),
                        contentType),
                Named.as(JOIN),
                TELEMETRY_STORE,
                JOIN_BUFFER);
    Topics.Topic<String, PerceptionEvent> out = topics.events();
    events.to(out.name(), Produced.with(out.keySerde(), out.valueSerde()).withName("events-out"));
    Topics.Topic<String, PerceptionAlert> alerts = topics.alerts();
    events
        .process(() -> new AlertProcessor(engine, contentType), Named.as(ALERTS), ALERT_STATE)
        .to(
            alerts.name(),
            Produced.with(alerts.keySerde(), alerts.valueSerde()).withName("alerts-out"));
    return b.build();
  }

  /**
   * The {@code camera.vehicles} pairs as camera → vehicle.
   *
   * @throws ConfigException naming the setting for an entry that is not CAMERA:VEHICLE or names a
   *     camera twice
   */
  static Map<String, String> cameraVehicles(Settings settings) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : settings.getList(Settings.CAMERA_VEHICLES)) {
      int colon = pair.indexOf(':');
      String camera = colon < 0 ? "" : pair.substring(0, colon).trim();
      String vehicle = colon < 0 ? "" : pair.substring(colon + 1).trim();
      if (camera.isEmpty() || vehicle.isEmpty()) {
        throw new ConfigException(Settings.CAMERA_VEHICLES, pair, "expected CAMERA:VEHICLE");
      }
      if (out.put(camera, vehicle) != null) {
        throw new ConfigException(
            Settings.CAMERA_VEHICLES, pair, "camera " + camera + " is listed twice");
      }
    }
    return out;
  }

  /** The history must outlast a frame's wait for late telemetry plus the staleness allowed. */
  private static void checkRetention(Settings settings) {
    long retention = settings.getLong(Settings.TELEMETRY_HISTORY_RETENTION_MS);
    long needed =
        settings.getLong(Settings.TELEMETRY_MAX_STALENESS_MS)
            + settings.getLong(Settings.TELEMETRY_GRACE_MS);
    if (retention <= needed) {
      throw new ConfigException(
          Settings.TELEMETRY_HISTORY_RETENTION_MS,
          retention,
          "must exceed "
              + Settings.TELEMETRY_MAX_STALENESS_MS
              + " + "
              + Settings.TELEMETRY_GRACE_MS
              + " = "
              + needed
              + " ms, or a frame waiting for late telemetry could find its history expired");
    }
  }
}
