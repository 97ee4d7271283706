package dev.hydrastream.bench.micro;

import dev.hydrastream.tracking.CameraTracker;
import dev.hydrastream.tracking.Observation;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.tracking.TrackerResult;
import dev.hydrastream.tracking.TrackerStateCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The tracker on one thread, one frame per operation, {@value #OBJECTS} objects per frame (the
 * issue's throughput case): detections per second = {@value #OBJECTS} / (µs per op × 1e-6). The
 * scene is synthetic and fixed by a seed: objects of three classes drift at their own speeds with a
 * pixel of noise, 5% of detections are missed, and objects leaving the frame come back elsewhere as
 * new ones. {@code track} is the tracker alone; {@code trackWithStateCodec} adds what the stream
 * stage does per frame: decode the camera's state from the store's bytes, update, encode.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrackerBenchmarks {

  static final int OBJECTS = 50;
  private static final int FRAMES = 1000;
  private static final long STEP_MS = 200;
  private static final String[] CLASSES = {"car", "pedestrian", "traffic sign"};

  private List<List<Observation>> frames;
  private CameraTracker tracker;
  private byte[] state;
  private int k;

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(42);
    double[][] o = new double[OBJECTS][];
    for (int i = 0; i < OBJECTS; i++) {
      o[i] = spawn(r, i);
    }
    frames = new ArrayList<>(FRAMES);
    for (int f = 0; f < FRAMES; f++) {
      List<Observation> obs = new ArrayList<>(OBJECTS);
      for (int i = 0; i < OBJECTS; i++) {
        double[] a = o[i];
        a[0] += a[2];
        a[1] += a[3];
        if (a[0] < -a[4] || a[0] > 1280 || a[1] < -a[5] || a[1] > 720) {
          o[i] = a = spawn(r, i);
        }
        if (r.nextDouble() < 0.05) {
          continue;
        }
        double x = a[0] + r.nextGaussian();
        double y = a[1] + r.nextGaussian();
        obs.add(
            new Observation(
                CLASSES[i % CLASSES.length], 0.3 + 0.7 * r.nextDouble(), x, y, x + a[4], y + a[5]));
      }
      frames.add(obs);
    }
    reset();
  }

  /** x, y, vx, vy (px per frame), w, h. */
  private static double[] spawn(Random r, int i) {
    double w = 20 + r.nextInt(120);
    double h = i % 3 == 1 ? w * 2 : w * 0.7;
    return new double[] {
      r.nextInt(1200), r.nextInt(650), r.nextGaussian() * 6, r.nextGaussian() * 2, w, h
    };
  }

  private void reset() {
    tracker = new CameraTracker(TrackerConfig.defaults());
    state = TrackerStateCodec.encode(tracker);
    k = 0;
  }

  @Benchmark
  public TrackerResult track() {
    if (k == FRAMES) {
      reset();
    }
    TrackerResult out = tracker.update(1_700_000_000_000L + k * STEP_MS, frames.get(k));
    k++;
    return out;
  }

  @Benchmark
  public TrackerResult trackWithStateCodec() {
    if (k == FRAMES) {
      reset();
    }
    CameraTracker t = TrackerStateCodec.decode(state, TrackerConfig.defaults());
    TrackerResult out = t.update(1_700_000_000_000L + k * STEP_MS, frames.get(k));
    state = TrackerStateCodec.encode(t);
    k++;
    return out;
  }
}
