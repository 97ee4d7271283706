package dev.hydrastream.telemetry;

import static dev.hydrastream.testing.Perceptions.carAhead;
import static dev.hydrastream.testing.Perceptions.frame;
import static dev.hydrastream.testing.Perceptions.pedestrianAside;
import static dev.hydrastream.testing.Perceptions.pedestrianInPath;
import static dev.hydrastream.testing.Perceptions.telemetry;
import static dev.hydrastream.testing.Perceptions.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.EgoTrack;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.Severity;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.schema.VehicleTelemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code topologies/alerts.yaml} on crafted events: each fires on its case and stays
 * quiet on the near miss; durations and suppression windows hold per vehicle; and a rules file with
 * an error is refused naming the rule, the position and the reason.
 */
class AlertRulesTest {

  static final AlertRules RULES = AlertRules.load(Path.of("topologies/alerts.yaml"));

  /** An event of veh-0 at {@code ts} with the given telemetry and perception. */
  static PerceptionEvent event(
      long ts,
      VehicleTelemetry t,
      String weather,
      String timeofday,
      boolean egoLane,
      Detection... dets) {
    PerceptionEvent e =
        EventBuilder.perceive(
            frame("cam-0", "veh-0", ts / 200, ts, weather, timeofday, egoLane, dets), "veh-0");
    return EventBuilder.join(e, t, 1000, ts + 100);
  }

  static PerceptionEvent event(long ts, double speed, double accel, Detection... dets) {
    return event(ts, telemetry("veh-0", ts - 20, speed, accel), "clear", "daytime", true, dets);
  }

  /** Rule ids that fire on one event with fresh state. */
  static List<String> fired(PerceptionEvent e) {
    return new RuleEngine(RULES)
        .evaluate(e, new AlertState(), 0).stream().map(PerceptionAlert::getRuleId).toList();
  }

  @Test
  void theRulesFileHasTheFiveRules() {
    assertThat(RULES.rules())
        .extracting(AlertRule::id)
        .containsExactly(
            "vulnerable-road-user-in-path",
            "low-visibility-fast",
            "ego-lane-lost",
            "harsh-braking-object-close",
            "time-to-contact");
  }

  @Test
  void pedestrianInPathWhileMovingFires() {
    assertThat(fired(event(10_000, 8.0, 0, pedestrianInPath())))
        .containsExactly("vulnerable-road-user-in-path");
    // near misses: beside the lane, or standing still, or no telemetry
    assertThat(fired(event(10_000, 8.0, 0, pedestrianAside()))).isEmpty();
    assertThat(fired(event(10_000, 2.9, 0, pedestrianInPath()))).isEmpty();
    assertThat(fired(event(10_000, null, "clear", "daytime", true, pedestrianInPath()))).isEmpty();
  }

  @Test
  void lowVisibilityAboveSpeedFiresAfterOneSecond() {
    RuleEngine engine = new RuleEngine(RULES);
    AlertState state = new AlertState();
    List<PerceptionAlert> alerts = new ArrayList<>();
    for (long ts = 0; ts <= 1_000; ts += 200) {
      alerts.addAll(
          engine.evaluate(
              event(ts, telemetry("veh-0", ts, 20, 0), "foggy", "daytime", true), state, 0));
      if (ts < 1_000) {
        assertThat(alerts).as("still under 'for: 1s' at %d", ts).isEmpty();
      }
    }
    assertThat(alerts)
        .extracting(PerceptionAlert::getRuleId)
        .containsExactly("low-visibility-fast");
    PerceptionAlert a = alerts.get(0);
    assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
    assertThat(a.getFrameIds()).containsExactly("cam-0:0", "cam-0:5");
    assertThat(a.getSinceTs().toEpochMilli()).isZero();
    assertThat(a.getEvidence()).containsEntry("speed_mps", "20").containsEntry("weather", "foggy");
    // near misses: night at 12 m/s (not above), or fast in rain (reduced, not poor)
    RuleEngine quiet = new RuleEngine(RULES);
    AlertState s = new AlertState();
    for (long ts = 0; ts <= 3_000; ts += 200) {
      assertThat(
              quiet.evaluate(
                  event(ts, telemetry("veh-0", ts, 12, 0), "clear", "night", true), s, 0))
          .isEmpty();
      assertThat(
              quiet.evaluate(
                  event(ts, telemetry("veh-0", ts, 25, 0), "rainy", "daytime", true), s, 0))
          .isEmpty();
    }
  }

  @Test
  void egoLaneLostForTwoSecondsWhileMovingFiresOncePerEpisode() {
    RuleEngine engine = new RuleEngine(RULES);
    AlertState state = new AlertState();
    List<Long> firedAt = new ArrayList<>();
    for (long ts = 0; ts <= 6_000; ts += 200) {
      for (PerceptionAlert a :
          engine.evaluate(
              event(ts, telemetry("veh-0", ts, 10, 0), "clear", "daytime", false), state, 0)) {
        assertThat(a.getRuleId()).isEqualTo("ego-lane-lost");
        firedAt.add(ts);
      }
    }
    // fires when 2 s are reached, then the 20 s suppression window holds
    assertThat(firedAt).containsExactly(2_000L);
    // near miss: lost for 1.8 s, found for one frame, lost again for 1.8 s
    RuleEngine quiet = new RuleEngine(RULES);
    AlertState s = new AlertState();
    for (long ts = 0; ts <= 3_800; ts += 200) {
      boolean found = ts == 2_000;
      assertThat(
              quiet.evaluate(
                  event(ts, telemetry("veh-0", ts, 10, 0), "clear", "daytime", found), s, 0))
          .as("at %d", ts)
          .isEmpty();
    }
    // near miss: lost for long, but standing (2 m/s is not above 2)
    AlertState standing = new AlertState();
    for (long ts = 0; ts <= 5_000; ts += 200) {
      assertThat(
              quiet.evaluate(
                  event(ts, telemetry("veh-0", ts, 2.0, 0), "clear", "daytime", false),
                  standing,
                  0))
          .isEmpty();
    }
  }

  @Test
  void harshBrakingWithAnObjectCloseFires() {
    assertThat(fired(event(10_000, 9.0, -5.0, carAhead(10))))
        .containsExactly("harsh-braking-object-close");
    // near misses: the car 17 m away, or braking gently, or nothing ahead
    assertThat(fired(event(10_000, 9.0, -5.0, carAhead(17)))).isEmpty();
    assertThat(fired(event(10_000, 9.0, -3.0, carAhead(10)))).isEmpty();
    assertThat(fired(event(10_000, 9.0, -6.0))).isEmpty();
  }

  /** An event of veh-0 at 10 s, driving at 8 m/s, whose frame has {@code tracks}. */
  static PerceptionEvent trackedEvent(Track... tracks) {
    PerceptionFrame f = frame("cam-0", "veh-0", 50, 10_000, "clear", "daytime", true);
    f.setTracks(List.of(tracks));
    PerceptionEvent e = EventBuilder.perceive(f, "veh-0");
    return EventBuilder.join(e, telemetry("veh-0", 9_980, 8.0, 0), 1000, 10_100);
  }

  @Test
  void anObjectOnOurLaneWhoseBoxGrowsFastFires() {
    Track car = track(7, carAhead(12), TrackState.CONFIRMED, 6, 0.8f);
    Track sooner = track(9, carAhead(20), TrackState.CONFIRMED, 6, 1.6f);
    Track aside = track(8, pedestrianAside(), TrackState.CONFIRMED, 6, 2f);
    PerceptionEvent e = trackedEvent(car, aside, sooner);
    // on the ego lane only, soonest contact first: 1/1.6 s, then 1/0.8 s
    assertThat(e.getEgoLaneTracks()).extracting(EgoTrack::getTrackId).containsExactly(9L, 7L);
    assertThat(e.getEgoLaneTracks().get(1).getTtcS()).isEqualTo(1.25f);
    assertThat(e.getEgoLaneTracks().get(1).getAgeFrames()).isEqualTo(6);
    List<PerceptionAlert> a = new RuleEngine(RULES).evaluate(e, new AlertState(), 0);
    assertThat(a).extracting(PerceptionAlert::getRuleId).containsExactly("time-to-contact");
    assertThat(a.get(0).getEvidence())
        .containsEntry("track_ids", "[9, 7]")
        .containsEntry("categories", "[car, car]");
    assertThat(fired(trackedEvent(car))).containsExactly("time-to-contact");
    // near misses: contact 2.5 s away, a box that shrinks (moving away: no time to contact), a
    // track too young for its growth to be trusted, a tentative track, the same growth beside
    // the lane, and no tracks at all
    assertThat(fired(trackedEvent(track(7, carAhead(12), TrackState.CONFIRMED, 6, 0.4f))))
        .isEmpty();
    PerceptionEvent away = trackedEvent(track(7, carAhead(12), TrackState.CONFIRMED, 6, -0.8f));
    assertThat(away.getEgoLaneTracks().get(0).getTtcS()).isNull();
    assertThat(fired(away)).isEmpty();
    assertThat(fired(trackedEvent(track(7, carAhead(12), TrackState.CONFIRMED, 2, 0.8f))))
        .isEmpty();
    PerceptionEvent tentative = trackedEvent(track(7, carAhead(12), TrackState.TENTATIVE, 6, 0.8f));
    assertThat(tentative.getEgoLaneTracks()).isEmpty();
    assertThat(fired(tentative)).isEmpty();
    assertThat(fired(trackedEvent(aside))).isEmpty();
    assertThat(fired(trackedEvent())).isEmpty();
  }

  @Test
  void suppressionWindowHoldsPerVehicleAndCountsWhatItSwallowed() {
    RuleEngine engine = new RuleEngine(RULES);
    AlertState veh0 = new AlertState();
    AlertState veh1 = new AlertState();
    List<Long> firedAt = new ArrayList<>();
    for (long ts = 0; ts <= 12_000; ts += 1_000) {
      List<PerceptionAlert> a = engine.evaluate(event(ts, 9.0, -5.0, carAhead(8)), veh0, 0);
      if (!a.isEmpty()) {
        firedAt.add(ts);
        if (ts == 10_000) {
          assertThat(a.get(0).getSuppressed()).isEqualTo(9); // 1..9 s swallowed
        }
      }
    }
    assertThat(firedAt).containsExactly(0L, 10_000L); // suppress: 10s
    // another vehicle has its own window
    assertThat(engine.evaluate(event(500, 9.0, -5.0, carAhead(8)), veh1, 0)).hasSize(1);
    // the state survives a round trip through its stored form
    AlertState restored = AlertState.fromBytes(veh0.toBytes());
    assertThat(engine.evaluate(event(13_000, 9.0, -5.0, carAhead(8)), restored, 0)).isEmpty();
  }

  private static void refused(String yaml, String... parts) {
    assertThatThrownBy(() -> AlertRules.parse(yaml, "alerts.yaml"))
        .isInstanceOf(RuleException.class)
        .message()
        .contains(parts);
  }

  private static String rule(String id, String condition) {
    return "rules:\n"
        + "  - id: ok-rule\n"
        + "    severity: info\n"
        + "    description: fine\n"
        + "    condition: event.ego_lane.found\n"
        + "  - id: "
        + id
        + "\n"
        + "    severity: warning\n"
        + "    description: test\n"
        + "    condition: "
        + condition
        + "\n";
  }

  @Test
  void unknownFieldIsRefusedNamingRuleAndPosition() {
    refused(
        rule("speedy", "has(event.telemetry) && event.telemetry.speed > 3.0"),
        "alerts.yaml:9: rule 'speedy'",
        "condition at 1:40",
        "undefined field 'speed'");
  }

  @Test
  void typeErrorIsRefused() {
    refused(
        rule("typed", "event.visibility.level > 3"),
        "rule 'typed'",
        "condition at 1:24",
        "no matching overload");
    refused(rule("not-bool", "event.telemetry_age_ms"), "rule 'not-bool'", "expected type 'bool'");
  }

  @Test
  void badExpressionIsRefused() {
    refused(
        rule("broken", "event.ego_lane.found &&"),
        "rule 'broken'",
        "condition at 1:24",
        "mismatched input");
  }

  @Test
  void badRuleShapeIsRefused() {
    refused(rule("ok-rule", "true"), "id ok-rule is used twice");
    refused(rule("typo", "true") + "    conditon: x\n", "rule 'typo'", "unknown key 'conditon'");
    refused(rule("Bad Id", "true"), "'id' must be lower-case");
    refused(rule("dur", "true") + "    for: soon\n", "rule 'dur'", "'for' must be a duration");
    refused(
        rule("sev", "true").replace("severity: warning", "severity: urgent"),
        "rule 'sev'",
        "'severity' must be info, warning or critical");
    refused(
        rule("ev", "true") + "    evidence:\n      speed: event.telemetry.sped\n",
        "rule 'ev'",
        "evidence.speed",
        "undefined field 'sped'");
    refused("rules: [", "not valid YAML");
  }
}
