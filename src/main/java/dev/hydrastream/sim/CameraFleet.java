package dev.hydrastream.sim;

import dev.hydrastream.schema.VehicleTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A fleet of simulated cameras producing live video in real time: {@code cam-0..cam-(N-1)} on
 * vehicles {@code veh-0..veh-(N-1)}, each at {@code fps}, rendered on a small thread pool.
 *
 * <p>Pacing: camera {@code c} captures frame {@code seq} at the run's wall-clock start plus {@code
 * seq / fps} seconds plus a stagger of {@code c / (N * fps)} (so renders spread over the frame
 * period); that scheduled time is the frame's capture timestamp, and the scene shown is the one at
 * that moment.
 *
 * <p>Falling behind: a camera renders one frame at a time. If its previous frame is still being
 * rendered or delivered when the next capture time comes, that frame is <em>skipped</em>: never
 * rendered, counted, and its {@code seq} left out (consumers see the gap), so the camera stays on
 * real time instead of drifting behind. A frame delivered more than one frame period after its
 * capture time is counted as <em>late</em>.
 *
 * <p>Delivery: the sink is called from the pool threads, one call at a time (never concurrently),
 * and each camera's frames arrive in increasing {@code seq} order. A slow sink slows rendering down
 * and shows up as skipped frames.
 */
public final class CameraFleet implements AutoCloseable {

  private final int cameras;
  private final long seed;
  private final double fps;
  private final int width;
  private final int height;
  private final double clipSeconds;
  private final int jpegQuality;
  private final ExecutorService pool;
  private final AtomicBoolean stop = new AtomicBoolean();

  /** Counts of one run. */
  public record Stats(long produced, long skipped, long late, long[] producedPerCamera) {}

  /**
   * @param cameras number of cameras (>= 1)
   * @param seed fleet seed; camera {@code c} gets its own seed derived from it
   * @param fps frames per second of each camera
   * @param threads render threads (>= 1)
   */
  public CameraFleet(int cameras, long seed, double fps, int width, int height, int threads) {
    this(
        cameras,
        seed,
        fps,
        width,
        height,
        threads,
        SimulatedCamera.DEFAULT_CLIP_SECONDS,
        SimulatedCamera.DEFAULT_JPEG_QUALITY);
  }

  public CameraFleet(
      int cameras,
      long seed,
      double fps,
      int width,
      int height,
      int threads,
      double clipSeconds,
      int jpegQuality) {
    if (cameras < 1) {
      throw new IllegalArgumentException("need at least one camera, got " + cameras);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("need at least one render thread, got " + threads);
    }
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    this.cameras = cameras;
    this.seed = seed;
    this.fps = fps;
    this.width = width;
    this.height = height;
    this.clipSeconds = clipSeconds;
    this.jpegQuality = jpegQuality;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "camera-fleet-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
  }

  /** The seed of camera {@code c}: an independent stream of scenes per camera. */
  public static long cameraSeed(long fleetSeed, int c) {
    long z = fleetSeed * 0x9E3779B97F4A7C15L + c;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Produces frames in real time for {@code duration} (or until {@link #stop()} or interruption),
   * then waits for the frames in flight and returns the counts. Each run starts the cameras afresh
   * at {@code seq} 0 with the current wall clock as their start.
   *
   * @throws InterruptedException if interrupted while pacing; frames in flight are still finished
   *     and the cameras closed
   */
  public Stats run(Duration duration, Consumer<SimFrame> sink) throws InterruptedException {
    return run(duration, sink, null, 0);
  }

  /**
   * Like {@link #run(Duration, Consumer)}, and each camera's vehicle ({@link SimulatedVehicle})
   * also reports its telemetry {@code telemetryHz} times a second to {@code telemetry}, from the
   * run's start (before the first frame) to its end. Each record is stamped with the wall clock
   * when it is measured, as a vehicle would: a starved reporter sends fewer records, never late
   * ones. The telemetry sink is called from one scheduler thread.
   *
   * @param telemetry null for no telemetry
   */
  public Stats run(
      Duration duration,
      Consumer<SimFrame> sink,
      Consumer<VehicleTelemetry> telemetry,
      double telemetryHz)
      throws InterruptedException {
    if (pool.isShutdown()) {
      throw new IllegalStateException("fleet is closed");
    }
    stop.set(false);
    long startNanos = System.nanoTime();
    long startEpochMs = System.currentTimeMillis();
    double periodNanos = 1e9 / fps;
    long slots = (long) Math.floor(duration.toNanos() / periodNanos + 1e-9);
    List<SimulatedCamera> cams = new ArrayList<>(cameras);
    double[] staggerNanos = new double[cameras];
    for (int c = 0; c < cameras; c++) {
      staggerNanos[c] = periodNanos * c / cameras;
      cams.add(
          new SimulatedCamera(
              "cam-" + c,
              "veh-" + c,
              cameraSeed(seed, c),
              width,
              height,
              fps,
              clipSeconds,
              jpegQuality,
              startEpochMs + Math.round(staggerNanos[c] / 1e6)));
    }
    List<SimulatedVehicle> vehicles = new ArrayList<>(cameras);
    for (int c = 0; c < cameras; c++) {
      // fleet spread over a few km around one city, heading in varied directions
      vehicles.add(
          new SimulatedVehicle(
              cams.get(c), 48.137 + 0.01 * c, 11.575 + 0.013 * c, (73.0 * c) % 360));
    }
    ScheduledExecutorService reporter =
        telemetry == null ? null : startTelemetry(vehicles, startEpochMs, telemetryHz, telemetry);
    AtomicBoolean[] busy = new AtomicBoolean[cameras];
    long[] produced = new long[cameras];
    AtomicLong late = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    Object deliver = new Object();
    long skipped = 0;
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    for (int c = 0; c < cameras; c++) {
      busy[c] = new AtomicBoolean();
    }
    try {
      schedule:
      for (long seq = 0; seq < slots; seq++) {
        for (int c = 0; c < cameras; c++) {
          long due = startNanos + Math.round(seq * periodNanos + staggerNanos[c]);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          if (stop.get() || failure.get() != null) {
            break schedule;
          }
          if (!busy[c].compareAndSet(false, true)) {
            skipped++;
            continue;
          }
          int cam = c;
          long s = seq;
          inFlight.incrementAndGet();
          pool.execute(
              () -> {
                try {
                  SimFrame f = cams.get(cam).frame(s);
                  vehicles.get(cam).observe(f);
                  synchronized (deliver) {
                    sink.accept(f);
                    produced[cam]++;
                  }
                  if (System.nanoTime() - due > periodNanos) {
                    late.incrementAndGet();
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                } finally {
                  busy[cam].set(false);
                  synchronized (inFlight) {
                    inFlight.decrementAndGet();
                    inFlight.notifyAll();
                  }
                }
              });
        }
      }
    } finally {
      // let frames in flight finish (they are short), then free the cameras
      synchronized (inFlight) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
          inFlight.wait(100);
        }
      }
      if (reporter != null) {
        reporter.shutdownNow();
        reporter.awaitTermination(10, TimeUnit.SECONDS);
      }
      cams.forEach(SimulatedCamera::close);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    synchronized (deliver) {
      long total = 0;
      for (long p : produced) {
        total += p;
      }
      return new Stats(total, skipped, late.get(), produced.clone());
    }
  }

  /** Reports every vehicle's telemetry at {@code hz}, stamped with the wall clock (>= start). */
  private static ScheduledExecutorService startTelemetry(
      List<SimulatedVehicle> vehicles, long start, double hz, Consumer<VehicleTelemetry> sink) {
    if (!(hz > 0) || Double.isInfinite(hz)) {
      throw new IllegalArgumentException("telemetry rate must be positive, got " + hz);
    }
    long periodMicros = Math.round(1e6 / hz);
    // the first records before any frame is captured, whenever the scheduler gets to run
    for (SimulatedVehicle v : vehicles) {
      sink.accept(v.at(start));
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vehicle-telemetry");
              t.setDaemon(true);
              return t;
            });
    s.scheduleAtFixedRate(
        () -> {
          long at = Math.max(start, System.currentTimeMillis());
          for (SimulatedVehicle v : vehicles) {
            sink.accept(v.at(at));
          }
        },
        periodMicros,
        periodMicros,
        TimeUnit.MICROSECONDS);
    return s;
  }

  /** Asks a running {@link #run} to stop at its next capture time. */
  public void stop() {
    stop.set(true);
  }

  public int cameras() {
    return cameras;
  }

  /** Stops the render threads; a run in progress stops scheduling. Idempotent. */
  @Override
  public void close() {
    stop.set(true);
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #close} has finished: no render thread is left. */
  public boolean isTerminated() {
    return pool.isTerminated();
  }
}
