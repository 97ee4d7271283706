package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.TelemetryStatus;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.sim.SimulatedCamera;
import dev.hydrastream.sim.SimulatedVehicle;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.telemetry.AlertRules;
import dev.hydrastream.telemetry.AlertState;
import dev.hydrastream.telemetry.RuleEngine;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four simulated vehicles with telemetry through the whole service on a real in-process KRaft
 * broker with the real model, under exactly_once_v2: exactly one event per frame (read_committed),
 * each joined with the telemetry valid at its capture time, and exactly the alerts the rules give
 * on those events (replayed per vehicle in capture order), including the low-visibility alert of
 * the vehicle driving fast at night or in fog.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TelemetryServiceIT {

  private static final int VEHICLES = 4;
  private static final int FRAMES_PER_CAMERA = 40; // 8 s of video at 5 fps
  private static final double FPS = 5;
  private static final double TELEMETRY_HZ = 10;

  @RegisterExtension static final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @TempDir static Path tmp;

  /** A camera seed whose first clip is foggy or at night at more than 12 m/s. */
  private static long fastInPoorVisibility(long start) {
    for (long seed = 1; seed < 10_000; seed++) {
      try (SimulatedCamera c =
          new SimulatedCamera("probe", "probe", seed, 128, 72, FPS, 20, 85, start)) {
        SimulatedCamera.Motion m = c.motionAt(start);
        SimFrame f = c.frame(0);
        boolean poor = f.truth().weather().equals("foggy") || f.truth().timeofday().equals("night");
        if (poor && m.speed() > 16) {
          return seed;
        }
      }
    }
    throw new IllegalStateException("no seed with a fast drive in poor visibility");
  }

  @Test
  void fourVehiclesGetOneEventPerFrameAndTheExpectedAlerts() throws Exception {
    String name = "telemetry";
    Topics topics = new Topics(name + ".");
    long start = System.currentTimeMillis();
    long[] seeds = {fastInPoorVisibility(start), 11, 12, 13};
    Map<String, Object> values = kafka.serviceSettings(name, tmp.resolve(name));
    values.put(Settings.TOPIC_PARTITIONS, "4");
    values.put(Settings.STREAM_THREADS, "4");
    values.put(Settings.PROCESSING_GUARANTEE, "exactly_once_v2");
    Settings settings = Settings.of(values);
    Map<String, Long> captureOf = new HashMap<>();
    Map<String, List<VehicleTelemetry>> sentTelemetry = new HashMap<>();
    int frames = 0;
    try (PerceptionService service =
            PerceptionService.create(settings).start(Duration.ofSeconds(120));
        KafkaProducer<String, byte[]> producer = StreamFixtures.producer(kafka.bootstrap())) {
      Random shuffle = new Random(5);
      for (int v = 0; v < VEHICLES; v++) {
        String vehicle = "veh-" + v;
        try (SimulatedCamera cam =
            new SimulatedCamera("cam-" + v, vehicle, seeds[v], 640, 360, FPS, 20, 85, start)) {
          SimulatedVehicle car = new SimulatedVehicle(cam, 48.1, 11.5, 90 * v);
          List<SimFrame> rendered = new ArrayList<>();
          for (int seq = 0; seq < FRAMES_PER_CAMERA; seq++) {
            rendered.add(cam.frame(seq));
          }
          // the vehicle's telemetry from 0.5 s before its first frame to its last, 10 Hz, sent
          // ahead of the frames (it skips the perception stage) and slightly out of order
          List<VehicleTelemetry> telemetry = new ArrayList<>();
          int next = 0;
          long period = Math.round(1000 / TELEMETRY_HZ);
          for (long t = start - 500; t <= cam.captureTs(FRAMES_PER_CAMERA - 1); t += period) {
            while (next < rendered.size() && rendered.get(next).captureTs() <= t) {
              car.observe(rendered.get(next++));
            }
            telemetry.add(car.at(t));
          }
          for (int i = 0; i + 1 < telemetry.size(); i += 4) {
            Collections.swap(
                telemetry, i, i + 1 + shuffle.nextInt(Math.min(3, telemetry.size() - i - 1)));
          }
          sentTelemetry.put(vehicle, telemetry);
          for (VehicleTelemetry t : telemetry) {
            producer.send(
                new ProducerRecord<>(topics.telemetry().name(), vehicle, AvroCodec.encode(t)));
          }
          producer.flush();
          for (SimFrame f : rendered) {
            producer.send(
                new ProducerRecord<>(
                    topics.cameraFrames().name(),
                    f.cameraId(),
                    StreamFixtures.avroFrame(
                        f.cameraId(), f.seq(), f.captureTs(), f.jpeg(), vehicle)));
            captureOf.put(FrameMeta.frameId(f.cameraId(), f.seq()), f.captureTs());
            frames++;
          }
        }
      }
      producer.flush();

      Map<String, Integer> expected = new LinkedHashMap<>();
      expected.put(topics.events().name(), frames);
      expected.put(topics.alerts().name(), 1);
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got;
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(
              kafka.bootstrap(), new ArrayList<>(expected.keySet()))) {
        got =
            StreamFixtures.readAll(reader, expected, Duration.ofMinutes(5), Duration.ofSeconds(5));
      }
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

      // exactly one event per frame, joined with the telemetry valid at its capture time
      Map<String, PerceptionEvent> events = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : got.get(topics.events().name())) {
        PerceptionEvent e = Decoded.decodeAvro(r.value(), PerceptionEvent.class);
        assertThat(events.put(e.getFrameId(), e)).as("one event for %s", e.getFrameId()).isNull();
        assertThat(new String(r.key())).isEqualTo(e.getVehicleId());
        assertThat(e.getTelemetryStatus()).as(e.getFrameId()).isEqualTo(TelemetryStatus.OK);
        VehicleTelemetry valid =
            sentTelemetry.get(e.getVehicleId()).stream()
                .filter(t -> t.getTimestamp().toEpochMilli() <= e.getCaptureTs().toEpochMilli())
                .max(Comparator.comparing(VehicleTelemetry::getTimestamp))
                .orElseThrow();
        assertThat(e.getTelemetry()).as(e.getFrameId()).isEqualTo(valid);
      }
      assertThat(events.keySet()).isEqualTo(captureOf.keySet());

      // the alerts are exactly what the rules give on these events, per vehicle in capture order
      RuleEngine replay = new RuleEngine(AlertRules.load(settings.alertRulesFile()));
      Map<String, AlertState> states = new HashMap<>();
      Set<String> expectedAlerts = new TreeSet<>();
      events.values().stream()
          .sorted(Comparator.comparing(PerceptionEvent::getCaptureTs))
          .forEach(
              e ->
                  replay
                      .evaluate(
                          e, states.computeIfAbsent(e.getVehicleId(), k -> new AlertState()), 0)
                      .forEach(a -> expectedAlerts.add(a.getRuleId() + "@" + a.getFrameId())));
      Set<String> actual = new TreeSet<>();
      Set<String> rulesOfVeh0 = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : got.get(topics.alerts().name())) {
        PerceptionAlert a = Decoded.decodeAvro(r.value(), PerceptionAlert.class);
        assertThat(actual.add(a.getRuleId() + "@" + a.getFrameId())).as("alert once").isTrue();
        assertThat(HeaderNames.read(r.headers(), HeaderNames.RULE_ID)).isEqualTo(a.getRuleId());
        if (a.getVehicleId().equals("veh-0")) {
          rulesOfVeh0.add(a.getRuleId());
        }
      }
      assertThat(actual).isEqualTo(expectedAlerts);
      assertThat(rulesOfVeh0).contains("low-visibility-fast");
      System.out.printf(
          "telemetry IT: %d frames, %d events, alerts %s (%.1f s)%n",
          frames, events.size(), actual, (System.currentTimeMillis() - start) / 1000.0);
    }
  }
}
