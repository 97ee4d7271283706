package dev.hydrastream.streams;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest frame of each camera in the {@link LatestFrames#STORE} store (a changelogged
 * in-memory key-value store, key: camera id, value: {@link LatestFrame}'s JSON), for the dashboard
 * and {@code /api/cameras/{id}/latest} through interactive queries. A camera's entry is rewritten
 * at most every {@code dashboard.update.ms}: the thumbnail encode then costs little however fast
 * the camera is. Frame rates are counted over the last {@link #WINDOW_MS} of capture times.
 */
final class LatestFrameProcessor implements Processor<String, Object, Void, Void> {

  static final long WINDOW_MS = 5_000;

  private final long intervalMs;
  private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();
  private final Map<String, Long> counts = new HashMap<>();
  private final Map<String, Long> lastWrite = new HashMap<>();
  private KeyValueStore<String, byte[]> store;

  LatestFrameProcessor(long intervalMs) {
    this.intervalMs = intervalMs;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(LatestFrames.STORE);
  }

  @Override
  public void process(Record<String, Object> record) {
    LatestFrame f = (LatestFrame) record.value();
    String camera = f.meta().cameraId();
    long ts = f.meta().captureTs();
    ArrayDeque<Long> window = recent.computeIfAbsent(camera, c -> new ArrayDeque<>());
    window.addLast(ts);
    while (window.size() > 1 && window.peekFirst() < ts - WINDOW_MS) {
      window.removeFirst();
    }
    long n = counts.merge(camera, 1L, Long::sum);
    long now = System.currentTimeMillis();
    Long last = lastWrite.get(camera);
    if (last != null && now - last < intervalMs) {
      return;
    }
    lastWrite.put(camera, now);
    long span = window.peekLast() - window.peekFirst();
    double fps = span <= 0 ? 0 : (window.size() - 1) * 1000.0 / span;
    store.put(camera, f.toJson(fps, n));
  }
}
