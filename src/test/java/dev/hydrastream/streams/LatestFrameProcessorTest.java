package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The dashboard's per-camera state is bounded by {@code metrics.cameras.max} per task. */
class LatestFrameProcessorTest {

  private static LatestFrame frame(String camera, long seq) {
    Perception.Attribute a = new Perception.Attribute("clear", 0.9, Map.of("clear", 0.9));
    Letterbox lb = Letterbox.of(64, 32, 64, 64);
    return new LatestFrame(
        FrameMeta.of(camera, "veh-" + camera, seq, 1_000 + seq * 200, 64, 32),
        new Perception(a, a, a, List.of(), null, "m@1"),
        new FrameDecoder.Decoded(new byte[64 * 64 * 3], lb),
        5);
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
