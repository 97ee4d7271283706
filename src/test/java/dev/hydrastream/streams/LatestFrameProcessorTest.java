package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.dashboard.LatestFrame;
import dev.hydrastream.streams.dashboard.LatestFrameProcessor;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.FrameMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's per-camera state is bounded by {@code metrics.cameras.max} per task; its entry
 * shows the model's out-of-distribution score against the card's threshold.
 */
class LatestFrameProcessorTest {

  private static LatestFrame frame(String camera, long seq) {
    return frame(camera, seq, null, 1.0);
  }

  /** A frame of a model with an OOD output ({@code ood} non-null) or without. */
  private static LatestFrame frame(String camera, long seq, Double ood, double threshold) {
    Perception.Attribute a = new Perception.Attribute("clear", 0.9, Map.of("clear", 0.9));
    Letterbox lb = Letterbox.of(64, 32, 64, 64);
    return new LatestFrame(
        FrameMeta.of(camera, "veh-" + camera, seq, 1_000 + seq * 200, 64, 32),
        new Perception(a, a, a, List.of(), null, ModelIdentity.of("m", "1"), ood),
        new FrameDecoder.Decoded(new byte[64 * 64 * 3], lb),
        5,
        threshold);
  }

  private static KeyValueStore<String, byte[]> store(MockProcessorContext<Void, Void> context) {
    KeyValueStore<String, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LatestFrames.STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  private static List<String> keys(KeyValueStore<String, byte[]> store) {
    List<String> keys = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  @Test
  void aFloodOfCameraIdsKeepsTheMostRecentlySeenUpToTheBound() {
    MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    KeyValueStore<String, byte[]> store = store(context);
    LatestFrameProcessor p = new LatestFrameProcessor(0, 3);
    p.init(context);
    p.process(new Record<>("real", frame("real", 0), 0));
    for (int i = 0; i < 1_000; i++) {
      p.process(new Record<>("fake-" + i, frame("fake-" + i, 0), 0));
      if (i % 2 == 0) {
        p.process(new Record<>("real", frame("real", i + 1), 0)); // still sending: kept
      }
    }
    assertThat(keys(store)).containsExactlyInAnyOrder("real", "fake-998", "fake-999");
  }

  @Test
  void theDashboardEntryShowsTheOodScoreAndWhetherTheModelIsUnsure() throws Exception {
    JsonNode unsure = Json.MAPPER.readTree(frame("c", 1, 7.1234, 1.0).toJson(10, 1));
    assertThat(unsure.path("ood").path("score").asDouble()).isEqualTo(7.123);
    assertThat(unsure.path("ood").path("threshold").asDouble()).isEqualTo(1.0);
    assertThat(unsure.path("ood").path("unsure").asBoolean()).isTrue();

    JsonNode sure = Json.MAPPER.readTree(frame("c", 2, 0.8, 1.0).toJson(10, 2));
    assertThat(sure.path("ood").path("unsure").isBoolean()).isTrue();
    assertThat(sure.path("ood").path("unsure").asBoolean()).isFalse();
    // the card's threshold decides
    JsonNode lenient = Json.MAPPER.readTree(frame("c", 3, 7.0, 10.0).toJson(10, 3));
    assertThat(lenient.path("ood").path("unsure").asBoolean()).isFalse();
    assertThat(lenient.path("ood").path("threshold").asDouble()).isEqualTo(10.0);

    // a model without the output: no ood object, as a model without segmentation has no mask
    JsonNode old = Json.MAPPER.readTree(frame("c", 4).toJson(10, 4));
    assertThat(old.has("ood")).isFalse();
    assertThat(old.has("mask")).isFalse();
  }

  @Test
  void theDashboardEntryCarriesTheTracksOfTheFrameWithoutTentativeOnes() throws Exception {
    LatestFrame f = frame("c", 5);
    LatestFrame tracked =
        new LatestFrame(
            f.meta(),
            f.perception(),
            f.decoded(),
            f.latencyMs(),
            f.oodThreshold(),
            List.of(
                track(7, TrackState.CONFIRMED, 0.61234f),
                track(8, TrackState.TENTATIVE, 0.3f),
                track(3, TrackState.LOST, 0.4f)));
    JsonNode n = Json.MAPPER.readTree(tracked.toJson(10, 5));
    assertThat(n.path("tracks").findValuesAsText("state")).containsExactly("CONFIRMED", "LOST");
    JsonNode t = n.path("tracks").get(0);
    assertThat(t.path("id").asLong()).isEqualTo(7);
    assertThat(t.path("class").asText()).isEqualTo("car");
    assertThat(t.path("score").asDouble()).isEqualTo(0.612);
    assertThat(t.path("box").toString()).isEqualTo("[10.1,20.0,30.0,40.0]");
    // a frame the tracker skipped, or before tracking: an empty list, never absent
    assertThat(Json.MAPPER.readTree(f.toJson(10, 5)).path("tracks").isArray()).isTrue();
  }

  private static Track track(long id, TrackState state, float score) {
    return new Track(
        id, "car", 2, state, score, new Box2d(10.06f, 20f, 30f, 40f), 3, 3, 0, 0f, 0f, 0f);
  }

  @Test
  void entriesRestoredFromTheChangelogCountTowardsTheBound() {
    MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    KeyValueStore<String, byte[]> store = store(context);
    for (int i = 0; i < 5; i++) {
      store.put("old-" + i, new byte[] {1});
    }
    LatestFrameProcessor p = new LatestFrameProcessor(0, 3);
    p.init(context);
    p.process(new Record<>("new", frame("new", 0), 0));
    assertThat(keys(store)).hasSize(5).contains("new");
  }
}
