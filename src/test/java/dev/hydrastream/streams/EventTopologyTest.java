package dev.hydrastream.streams;

import static dev.hydrastream.testing.Perceptions.carAhead;
import static dev.hydrastream.testing.Perceptions.frame;
import static dev.hydrastream.testing.Perceptions.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.TelemetryStatus;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.HeaderNames;
import dev.hydrastream.wire.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event stages under {@link TopologyTestDriver}, fed crafted {@code perception.frames} records
 * (no model): the as-of join at capture time with out-of-order telemetry, staleness, the grace
 * period in event time and in wall-clock time, vehicles from the setting, one event per frame,
 * alerts with their state, and bad telemetry dead-lettered with its reason.
 */
class EventTopologyTest {

  static final long T0 = 1_800_000_000_000L;
  static final long GRACE = 500;
  static final long STALE = 1_000;

  final Topics topics = new Topics("");
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> frames;
  TestInputTopic<String, byte[]> telemetry;
  TestOutputTopic<String, byte[]> events;
  TestOutputTopic<String, byte[]> alerts;
  TestOutputTopic<byte[], byte[]> dlq;

  void start(Map<String, Object> more) {
    Map<String, Object> values = new HashMap<>(more);
    values.put(Settings.BOOTSTRAP_SERVERS, "unused:9092");
    values.put(Settings.TELEMETRY_GRACE_MS, Long.toString(GRACE));
    values.put(Settings.TELEMETRY_MAX_STALENESS_MS, Long.toString(STALE));
    Settings s = Settings.of(values);
    Properties p = PerceptionTopology.streamsConfig(s);
    p.put(
        org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG,
        dev.hydrastream.testing.StateDirs.fresh());
    driver =
        new TopologyTestDriver(
            PerceptionTopology.build(s, () -> null), p, Instant.ofEpochMilli(T0));
    frames =
        driver.createInputTopic(
            topics.frames().name(), new StringSerializer(), new ByteArraySerializer());
    telemetry =
        driver.createInputTopic(
            topics.telemetry().name(), new StringSerializer(), new ByteArraySerializer());
    events =
        driver.createOutputTopic(
            topics.events().name(), new StringDeserializer(), new ByteArrayDeserializer());
    alerts =
        driver.createOutputTopic(
            topics.alerts().name(), new StringDeserializer(), new ByteArrayDeserializer());
    dlq =
        driver.createOutputTopic(
            topics.dlq().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  void start() {
    start(Map.of());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  /** Sends a frame result (record timestamp deliberately not the capture time). */
  void frameAt(
      String camera,
      String vehicle,
      long seq,
      long ts,
      boolean egoLane,
      dev.hydrastream.schema.Detection... dets) {
    PerceptionFrame f = frame(camera, vehicle, seq, ts, "clear", "daytime", egoLane, dets);
    frames.pipeInput(camera, AvroCodec.encode(f), Instant.ofEpochMilli(ts + 150));
  }

  void frameAt(String camera, String vehicle, long seq, long ts) {
    frameAt(camera, vehicle, seq, ts, true);
  }

  void telemetryAt(String vehicle, long ts, double speed) {
    telemetry.pipeInput(
        vehicle, AvroCodec.encode(telemetry(vehicle, ts, speed, 0)), Instant.ofEpochMilli(ts));
  }

  List<PerceptionEvent> readEvents() {
    return events.readRecordsToList().stream()
        .map(r -> Decoded.decodeAvro(r.value(), PerceptionEvent.class))
        .toList();
  }

  PerceptionEvent only(List<PerceptionEvent> es) {
    assertThat(es).hasSize(1);
    return es.get(0);
  }

  @Test
  void joinPicksTheTelemetryValidAtCaptureTimeWhenTelemetryArrivesOutOfOrder() {
    start();
    telemetryAt("veh-0", T0 + 1_000, 10);
    telemetryAt("veh-0", T0 + 3_000, 30);
    telemetryAt("veh-0", T0 + 2_000, 20); // late: lands in its place in the history
    frameAt("cam-0", "veh-0", 0, T0 + 1_500);
    frameAt("cam-0", "veh-0", 1, T0 + 2_500);
    frameAt("cam-0", "veh-0", 2, T0 + 3_100);
    frameAt("cam-0", "veh-0", 3, T0 + 3_700); // releases the first three (event time)
    List<PerceptionEvent> es = readEvents();
    assertThat(es)
        .extracting(e -> e.getTelemetry().getSpeedMps())
        .containsExactly(10.0, 20.0, 30.0);
    assertThat(es).extracting(PerceptionEvent::getTelemetryAgeMs).containsExactly(500L, 500L, 100L);
    assertThat(es).extracting(PerceptionEvent::getTelemetryStatus).containsOnly(TelemetryStatus.OK);
    assertThat(es).extracting(PerceptionEvent::getVehicleId).containsOnly("veh-0");
  }

  @Test
  void staleOrAbsentTelemetryIsNeverJoined() {
    start();
    frameAt("cam-0", "veh-0", 0, T0 + 500); // before any telemetry
    telemetryAt("veh-0", T0 + 1_000, 10);
    frameAt("cam-0", "veh-0", 1, T0 + 2_000); // exactly max staleness: still OK
    frameAt("cam-0", "veh-0", 2, T0 + 2_001); // 1 ms too old
    driver.advanceWallClockTime(Duration.ofMillis(GRACE));
    List<PerceptionEvent> es = readEvents();
    assertThat(es)
        .extracting(PerceptionEvent::getTelemetryStatus)
        .containsExactly(TelemetryStatus.MISSING, TelemetryStatus.OK, TelemetryStatus.STALE);
    assertThat(es.get(0).getTelemetryAgeMs()).isNull();
    assertThat(es.get(2).getTelemetry()).isNull();
    assertThat(es.get(2).getTelemetryAgeMs()).isEqualTo(1_001L);
  }

  @Test
  void telemetryArrivingWithinTheGracePeriodIsUsedAfterItIsNot() {
    start();
    telemetryAt("veh-0", T0, 5);
    frameAt("cam-0", "veh-0", 0, T0 + 900);
    telemetryAt("veh-0", T0 + 890, 9); // late, but the frame still waits
    frameAt("cam-0", "veh-0", 1, T0 + 1_300); // 400 ms newer: within grace, nothing released
    assertThat(readEvents()).isEmpty();
    frameAt("cam-0", "veh-0", 2, T0 + 1_401); // 501 ms newer: frame 0 released
    PerceptionEvent e0 = only(readEvents());
    assertThat(e0.getFrameId()).isEqualTo("cam-0:0");
    assertThat(e0.getTelemetry().getSpeedMps()).isEqualTo(9.0);

    // event time: frame 3 is released by a newer frame before its late telemetry arrives
    frameAt("cam-0", "veh-0", 3, T0 + 3_000);
    frameAt("cam-0", "veh-0", 4, T0 + 3_600);
    telemetryAt("veh-0", T0 + 2_990, 30); // too late for frame 3
    List<PerceptionEvent> es = readEvents();
    assertThat(es)
        .extracting(PerceptionEvent::getFrameId)
        .containsExactly("cam-0:1", "cam-0:2", "cam-0:3");
    assertThat(es.get(2).getTelemetryStatus()).isEqualTo(TelemetryStatus.STALE); // 9 m/s @ 890
    // wall-clock time: no newer frame comes; frame 4 waits the grace period, then goes without
    driver.advanceWallClockTime(Duration.ofMillis(GRACE - 100));
    assertThat(readEvents()).isEmpty();
    driver.advanceWallClockTime(Duration.ofMillis(100));
    PerceptionEvent e4 = only(readEvents());
    assertThat(e4.getFrameId()).isEqualTo("cam-0:4");
    assertThat(e4.getTelemetry().getSpeedMps()).isEqualTo(30.0); // 2990 is valid at 3600
    telemetryAt("veh-0", T0 + 3_590, 31); // after frame 4 was joined: not used, no second event
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(readEvents()).isEmpty();
  }

  @Test
  void vehiclesComeFromTheFrameOrTheSettingAndEveryFrameGetsOneEvent() {
    start(Map.of(Settings.CAMERA_VEHICLES, "cam-9:truck-7"));
    telemetryAt("truck-7", T0, 12);
    telemetryAt("veh-1", T0, 8);
    frameAt("cam-9", null, 0, T0 + 100); // vehicle from camera.vehicles
    frameAt("cam-1", "veh-1", 0, T0 + 100);
    frameAt("cam-5", null, 0, T0 + 100); // no vehicle at all
    driver.advanceWallClockTime(Duration.ofMillis(GRACE));
    List<TestRecord<String, byte[]>> recs = events.readRecordsToList();
    Map<String, PerceptionEvent> byFrame = new HashMap<>();
    for (TestRecord<String, byte[]> r : recs) {
      PerceptionEvent e = Decoded.decodeAvro(r.value(), PerceptionEvent.class);
      assertThat(byFrame.put(e.getFrameId(), e)).as("one event per frame").isNull();
      assertThat(r.key()).isEqualTo(e.getVehicleId() != null ? e.getVehicleId() : e.getCameraId());
      assertThat(r.timestamp()).isEqualTo(T0 + 100); // the capture time
      assertThat(HeaderNames.read(r.headers(), HeaderNames.FRAME_ID)).isEqualTo(e.getFrameId());
      assertThat(HeaderNames.read(r.headers(), HeaderNames.CAPTURE_TS))
          .isEqualTo(Long.toString(T0 + 100));
    }
    assertThat(byFrame).containsOnlyKeys("cam-9:0", "cam-1:0", "cam-5:0");
    assertThat(byFrame.get("cam-9:0").getVehicleId()).isEqualTo("truck-7");
    assertThat(byFrame.get("cam-9:0").getTelemetry().getSpeedMps()).isEqualTo(12.0);
    assertThat(byFrame.get("cam-1:0").getTelemetry().getSpeedMps()).isEqualTo(8.0);
    assertThat(byFrame.get("cam-5:0").getTelemetryStatus()).isEqualTo(TelemetryStatus.NO_VEHICLE);
  }

  @Test
  void alertsComeFromTheEventsWithTheirStateAndSuppression() {
    start();
    for (int i = 0; i < 30; i++) {
      long ts = T0 + i * 500L;
      telemetry.pipeInput(
          "veh-0", AvroCodec.encode(telemetry("veh-0", ts - 10, 9, -5)), Instant.ofEpochMilli(ts));
      frameAt("cam-0", "veh-0", i, ts, true, carAhead(8));
    }
    driver.advanceWallClockTime(Duration.ofMillis(GRACE));
    assertThat(events.readRecordsToList()).hasSize(30);
    List<TestRecord<String, byte[]>> recs = alerts.readRecordsToList();
    List<PerceptionAlert> as =
        recs.stream().map(r -> Decoded.decodeAvro(r.value(), PerceptionAlert.class)).toList();
    // harsh braking with a car 8 m ahead on every frame; 10 s suppression over 14.5 s
    assertThat(as)
        .extracting(PerceptionAlert::getRuleId)
        .containsOnly("harsh-braking-object-close");
    assertThat(as)
        .extracting(a -> a.getCaptureTs().toEpochMilli())
        .containsExactly(T0, T0 + 10_000);
    assertThat(as.get(1).getSuppressed()).isEqualTo(19);
    assertThat(as.get(0).getEvidence()).containsEntry("object", "car").containsKey("distance_m");
    assertThat(recs.get(0).key()).isEqualTo("veh-0");
  }

  @Test
  void eventsAndAlertsCarryTheLineageOfTheirFrameWhetherBufferedOrNot() {
    start();
    Map<String, RecordHeaders> lineage = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      // frame 3 is older than the grace period behind frame 2: joined at once, never buffered
      long ts = i < 3 ? T0 + i * 2_000L : T0 + 1_000;
      telemetry.pipeInput(
          "veh-0", AvroCodec.encode(telemetry("veh-0", ts - 10, 9, -5)), Instant.ofEpochMilli(ts));
      RecordHeaders h = new RecordHeaders();
      String[] values = {
        "hydranet",
        "7",
        "ab".repeat(32),
        "camera.frames",
        "3",
        Long.toString(500 + i),
        "1.2.3",
        "cd".repeat(32)
      };
      for (int k = 0; k < values.length; k++) {
        h.add(HeaderNames.LINEAGE.get(k), values[k].getBytes(StandardCharsets.UTF_8));
      }
      lineage.put("cam-0:" + i, h);
      PerceptionFrame f = frame("cam-0", "veh-0", i, ts, "clear", "daytime", true, carAhead(8));
      frames.pipeInput(new TestRecord<>("cam-0", AvroCodec.encode(f), h, ts + 150));
    }
    driver.advanceWallClockTime(Duration.ofMillis(GRACE));
    List<TestRecord<String, byte[]>> recs = new java.util.ArrayList<>(events.readRecordsToList());
    assertThat(recs).hasSize(4);
    List<TestRecord<String, byte[]>> as = alerts.readRecordsToList();
    assertThat(as).isNotEmpty();
    recs.addAll(as);
    for (TestRecord<String, byte[]> r : recs) {
      RecordHeaders expected = lineage.get(HeaderNames.read(r.headers(), HeaderNames.FRAME_ID));
      for (String name : HeaderNames.LINEAGE) {
        assertThat(HeaderNames.read(r.headers(), name))
            .as("%s of %s", name, HeaderNames.read(r.headers(), HeaderNames.FRAME_ID))
            .isEqualTo(HeaderNames.read(expected, name));
      }
    }
  }

  @Test
  void jsonFramesAndJsonTelemetryAreReadToo() {
    start(Map.of(Settings.OUTPUT_FORMAT, "json"));
    VehicleTelemetry t = telemetry("veh-0", T0, 14, 0);
    telemetry.pipeInput("veh-0", JsonCodec.encode(t), Instant.ofEpochMilli(T0));
    PerceptionFrame f = frame("cam-0", "veh-0", 0, T0 + 100, carAhead(20));
    frames.pipeInput("cam-0", JsonCodec.encode(f), Instant.ofEpochMilli(T0 + 200));
    driver.advanceWallClockTime(Duration.ofMillis(GRACE));
    TestRecord<String, byte[]> r = events.readRecord();
    var json = Decoded.decodeJson(r.value());
    assertThat(json.get("telemetry_status").asText()).isEqualTo("OK");
    assertThat(json.get("telemetry").get("speed_mps").asDouble()).isEqualTo(14.0);
    assertThat(json.get("nearest_ahead").get("category").asText()).isEqualTo("car");
    assertThat(json.get("ego_lane").get("found").asBoolean()).isTrue();
  }

  @Test
  void malformedTelemetryIsDeadLetteredWithItsReason() {
    start();
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("garbage", "not telemetry".getBytes(StandardCharsets.UTF_8));
    bad.put(
        "missing", "{\"vehicle_id\":\"missing\",\"timestamp\":1}".getBytes(StandardCharsets.UTF_8));
    bad.put("other-key", AvroCodec.encode(telemetry("veh-0", T0, 5, 0)));
    bad.put("veh-neg", AvroCodec.encode(telemetry("veh-neg", T0, -3, 0)));
    bad.put("empty", new byte[0]);
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      telemetry.pipeInput(e.getKey(), e.getValue(), Instant.ofEpochMilli(T0));
    }
    telemetryAt("veh-1", T0, 5); // good records go on
    frameAt("cam-1", "veh-1", 0, T0 + 10);
    driver.advanceWallClockTime(Duration.ofMillis(GRACE));
    assertThat(only(readEvents()).getTelemetryStatus()).isEqualTo(TelemetryStatus.OK);
    Map<String, String> reasons = new java.util.LinkedHashMap<>();
    for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      reasons.put(key, HeaderNames.read(r.headers(), HeaderNames.DLQ_REASON));
      assertThat(r.value()).isEqualTo(bad.get(key));
      assertThat(HeaderNames.read(r.headers(), HeaderNames.DLQ_SOURCE_TOPIC))
          .isEqualTo(topics.telemetry().name());
      assertThat(HeaderNames.read(r.headers(), HeaderNames.DLQ_DETAIL)).isNotBlank();
    }
    assertThat(reasons)
        .containsExactly(
            Map.entry("garbage", DlqReason.MALFORMED_TELEMETRY.name()),
            Map.entry("missing", DlqReason.MALFORMED_TELEMETRY.name()),
            Map.entry("other-key", DlqReason.TELEMETRY_KEY_MISMATCH.name()),
            Map.entry("veh-neg", DlqReason.TELEMETRY_OUT_OF_RANGE.name()),
            Map.entry("empty", DlqReason.EMPTY.name()));
  }
}
