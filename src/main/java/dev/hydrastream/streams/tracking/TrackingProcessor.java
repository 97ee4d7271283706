package dev.hydrastream.streams.tracking;

import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.streams.timing.ResultLatency;
import dev.hydrastream.streams.topics.ResultOutput;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.streams.topics.TopologyNodes;
import dev.hydrastream.tracking.CameraTracker;
import dev.hydrastream.tracking.FrameStatus;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.tracking.TrackerResult;
import dev.hydrastream.tracking.TrackerStateCodec;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The tracking stage: takes each fused frame from {@code perceive} (same task, so a camera's frames
 * arrive here in order, on one thread) and forwards the frame with its tracks (to {@code
 * perception.frames}, where the event stages find them) and one {@link TrackResult} per frame. A
 * camera's tracker lives in the {@link TopologyNodes#TRACKER_STORE} key-value store, keyed by
 * camera id, as {@link TrackerStateCodec} bytes; the store is changelogged, so with {@code
 * exactly_once_v2} the state, the output and the input offset commit together, and a restarted or
 * moved task continues every track with the same id. The state is read from the store for every
 * frame (the store, not the heap, is the truth), so a restored tracker behaves exactly like one
 * that never stopped.
 */
public final class TrackingProcessor
    implements Processor<String, SpecificRecord, String, SpecificRecord> {

  private final TrackerConfig config;
  private final ResultLatency latency;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> store;
  private final byte[] schemaHeader =
      TrackResult.getClassSchema().getFullName().getBytes(StandardCharsets.UTF_8);

  TrackingProcessor(TrackerConfig config, ResultLatency latency) {
    this.config = config;
    this.latency = latency;
  }

  /**
   * Adds the stage under {@code parent} (a node forwarding {@link PerceptionFrame}s keyed by
   * camera, to {@link TopologyNodes#TRACK}): the processor, its store, and the sinks to {@code
   * frames} (the frame with its tracks) and {@code tracks}.
   */
  public static void addTo(
      Topology t,
      String parent,
      Topics.Topic<String, PerceptionFrame> frames,
      Topics.Topic<String, TrackResult> tracks,
      TrackerConfig config) {
    addTo(t, parent, frames, tracks, config, new ResultLatency(true));
  }

  /** {@link #addTo} with the latency placed as {@code results.latency} says. */
  public static void addTo(
      Topology t,
      String parent,
      Topics.Topic<String, PerceptionFrame> frames,
      Topics.Topic<String, TrackResult> tracks,
      TrackerConfig config,
      ResultLatency latency) {
    t.addProcessor(TopologyNodes.TRACK, () -> new TrackingProcessor(config, latency), parent);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TopologyNodes.TRACKER_STORE),
            Serdes.String(),
            Serdes.ByteArray()),
        TopologyNodes.TRACK);
    TopologyNodes.sink(t, ResultOutput.FRAMES.sink(), frames, TopologyNodes.TRACK);
    TopologyNodes.sink(t, ResultOutput.TRACKS.sink(), tracks, TopologyNodes.TRACK);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.store = context.getStateStore(TopologyNodes.TRACKER_STORE);
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    PerceptionFrame frame = (PerceptionFrame) record.value();
    String camera = frame.getCameraId();
    byte[] stored = store.get(camera);
    CameraTracker tracker;
    try {
      tracker =
          stored == null ? new CameraTracker(config) : TrackerStateCodec.decode(stored, config);
    } catch (IllegalStateException e) {
      // Not the frame's fault (a state written by a newer build, or damaged): stop rather than
      // start the camera afresh, which could give out its ids again.
      throw new StreamsException("tracker state of camera " + camera + ": " + e.getMessage(), e);
    }
    TrackerResult result =
        tracker.update(frame.getCaptureTs().toEpochMilli(), TrackRecords.observations(frame));
    if (result.status() != FrameStatus.SKIPPED_OUT_OF_ORDER) {
      store.put(camera, TrackerStateCodec.encode(tracker));
    }
    double latencyMs = ResultLatency.since(frame.getCaptureTs().toEpochMilli());
    TrackResult out = TrackRecords.of(frame, result, latency.field(latencyMs));
    // the frame is this stage's alone once perceive forwarded it: its tracks are set in place
    frame.setTracks(out.getTracks());
    context.forward(record.withValue(frame), ResultOutput.FRAMES.sink());
    RecordHeaders h = new RecordHeaders(record.headers().toArray());
    h.remove(HeaderNames.SCHEMA);
    h.add(HeaderNames.SCHEMA, schemaHeader);
    latency.header(h, latencyMs);
    context.forward(
        new Record<>(record.key(), out, record.timestamp(), h), ResultOutput.TRACKS.sink());
  }
}
