package dev.hydrastream.streams.dashboard;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest frame of each camera in the {@link LatestFrames#STORE} store (a changelogged
 * in-memory key-value store, key: camera id, value: {@link LatestFrame}'s JSON), for the dashboard
 * and {@code /api/cameras/{id}/latest} through interactive queries. A camera's entry is rewritten
 * at most every {@code dashboard.update.ms}: the thumbnail encode then costs little however fast
 * the camera is. Frame rates are counted over the last {@link #WINDOW_MS} of capture times. At most
 * {@code metrics.cameras.max} cameras are kept per task: a new camera beyond them drops the least
 * recently seen one (its rate, count and store entry), so fake camera ids cannot grow memory
 * without bound.
 */
public final class LatestFrameProcessor implements Processor<String, Object, Void, Void> {

  static final long WINDOW_MS = 5_000;

  private final long intervalMs;
  private final Map<String, Camera> cameras;
  private KeyValueStore<String, byte[]> store;
  private boolean restoring;

  /** What is kept per camera: recent capture times, frames seen, when its entry was written. */
  private static final class Camera {
    final ArrayDeque<Long> window = new ArrayDeque<>();
    long count;
    long lastWrite = Long.MIN_VALUE;
  }

  public LatestFrameProcessor(long intervalMs, int maxCameras) {
    this.intervalMs = intervalMs;
    this.cameras =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Camera> eldest) {
            if (restoring || size() <= maxCameras) {
              return false;
            }
            store.delete(eldest.getKey());
            return true;
          }
        };
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(LatestFrames.STORE);
    // Entries restored from the changelog count towards the bound, so that restarts do not pile
    // them up; none is dropped here (no record is being processed to log a delete with), each new
    // camera then drops one.
    restoring = true;
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(kv -> cameras.put(kv.key, new Camera()));
    } finally {
      restoring = false;
    }
  }

  @Override
  public void process(Record<String, Object> record) {
    LatestFrame f = (LatestFrame) record.value();
    String id = f.meta().cameraId();
    long ts = f.meta().captureTs();
    Camera camera = cameras.computeIfAbsent(id, c -> new Camera());
    ArrayDeque<Long> window = camera.window;
    window.addLast(ts);
    while (window.size() > 1 && window.peekFirst() < ts - WINDOW_MS) {
      window.removeFirst();
    }
    long n = ++camera.count;
    long now = System.currentTimeMillis();
    if (camera.lastWrite != Long.MIN_VALUE && now - camera.lastWrite < intervalMs) {
      return;
    }
    camera.lastWrite = now;
    long span = window.peekLast() - window.peekFirst();
    double fps = span <= 0 ? 0 : (window.size() - 1) * 1000.0 / span;
    store.put(id, f.toJson(fps, n));
  }
}
