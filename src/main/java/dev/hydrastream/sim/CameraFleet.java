package dev.hydrastream.sim;

import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.util.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A fleet of simulated cameras producing live video in real time: camera number {@code k} is {@code
 * cam-k} on vehicle {@code veh-k} (numbers {@code 0..N-1} unless chosen), each at {@code fps},
 * rendered with at most {@code threads} renders at a time.
 *
 * <p>Pacing: the cameras are synchronized, as the cameras of one vehicle are (one trigger): frame
 * {@code seq} of every camera is captured at the run's clock start plus {@code seq / fps} seconds;
 * that time is the frame's capture timestamp, and the scene shown is the one at that moment. The
 * clock starts one frame period after {@link #run} is called. One trigger renders the frames of
 * every camera for one instant just before it (at most {@code threads} renders at a time, started
 * as late as the recent renders allow) and delivers them together at that instant, as synchronized
 * cameras publish the frames they take together: rendering, the simulator's own cost, stays out of
 * the capture-to-result latency unless it takes longer than a period, and a late instant still
 * arrives as one burst.
 *
 * <p>Falling behind: instants whose capture time passes while the trigger is still busy rendering
 * or delivering an earlier one are <em>skipped</em> for every camera: never rendered, counted, and
 * their {@code seq} left out (consumers see the gap), so the fleet stays on real time instead of
 * drifting behind. A frame delivered more than one frame period after its capture time is counted
 * as <em>late</em>.
 *
 * <p>Delivery: the sink is called from the trigger's thread, one call at a time (never
 * concurrently): the frames of one instant in camera order, each camera's frames in increasing
 * {@code seq} order. A slow sink slows the cameras down and shows up as skipped frames.
 */
public final class CameraFleet implements AutoCloseable {

  private final int[] numbers;
  private final long seed;
  private final double fps;
  private final int width;
  private final int height;
  private final double clipSeconds;
  private final int jpegQuality;
  private final ExecutorService pool;
  private final Semaphore renders;
  private volatile boolean warm;

  /** Counted down by {@link #stop()}: the current run's, or the next one's. */
  private final AtomicReference<CountDownLatch> halt = new AtomicReference<>(new CountDownLatch(1));

  /** Counts of one run. */
  public record Stats(long produced, long skipped, long late, long[] producedPerCamera) {}

  /**
   * @param cameras number of cameras (>= 1), numbered {@code 0..cameras-1}
   * @param seed fleet seed; camera {@code k} gets its own seed derived from it
   * @param fps frames per second of each camera
   * @param threads renders at a time (>= 1)
   */
  public CameraFleet(int cameras, long seed, double fps, int width, int height, int threads) {
    this(numbers(cameras), seed, fps, width, height, threads);
  }

  /**
   * Cameras with chosen numbers ({@code cam-k} for each {@code k} of {@code numbers}), e.g. so that
   * their ids hash to distinct partitions.
   */
  public CameraFleet(int[] numbers, long seed, double fps, int width, int height, int threads) {
    this(
        numbers,
        seed,
        fps,
        width,
        height,
        threads,
        SimulatedCamera.DEFAULT_CLIP_SECONDS,
        SimulatedCamera.DEFAULT_JPEG_QUALITY);
  }

  public CameraFleet(
      int[] numbers,
      long seed,
      double fps,
      int width,
      int height,
      int threads,
      double clipSeconds,
      int jpegQuality) {
    if (numbers.length < 1) {
      throw new IllegalArgumentException("need at least one camera, got " + numbers.length);
    }
    if (IntStream.of(numbers).distinct().count() != numbers.length) {
      throw new IllegalArgumentException("camera numbers must be distinct");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("need at least one render thread, got " + threads);
    }
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    this.numbers = numbers.clone();
    this.seed = seed;
    this.fps = fps;
    this.width = width;
    this.height = height;
    this.clipSeconds = clipSeconds;
    this.jpegQuality = jpegQuality;
    this.renders = new Semaphore(threads);
    this.pool = Executors.newCachedThreadPool(DaemonThreads.numbered("camera-fleet-"));
  }

  /** Camera numbers {@code 0..n-1}. */
  public static int[] numbers(int n) {
    return IntStream.range(0, n).toArray();
  }

  /** The id of camera number {@code k}: {@code cam-k}. */
  public static String cameraId(int k) {
    return "cam-" + k;
  }

  /** The vehicle camera number {@code k} is mounted on: {@code veh-k}. */
  public static String vehicleId(int k) {
    return "veh-" + k;
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
   * then returns the counts. Each run starts the cameras afresh at {@code seq} 0 with the current
   * wall clock (plus one frame period) as their start. Frames rendered but not yet due when the run
   * is stopped are dropped; a {@link #stop()} between runs makes the next run return at once.
   *
   * @throws InterruptedException if interrupted while waiting; the cameras are stopped and closed
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
    CountDownLatch stopped = halt.get();
    warmUp();
    double periodNanos = 1e9 / fps;
    long slots = (long) Math.floor(duration.toNanos() / periodNanos + 1e-9);
    long firstRender = firstRenderNanos();
    // Frame 0's render starts at once; the clock starts late enough for it to be ready on time.
    long lead = Math.round(periodNanos) + firstRender + firstRender / 4;
    Clock clock =
        new Clock(System.nanoTime() + lead, System.currentTimeMillis() + lead / 1_000_000);
    List<SimulatedCamera> cams = new ArrayList<>(numbers.length);
    for (int k : numbers) {
      cams.add(camera(k, clock.startEpochMs()));
    }
    List<SimulatedVehicle> vehicles = new ArrayList<>(cams.size());
    for (int c = 0; c < cams.size(); c++) {
      // fleet spread over a few km around one city, heading in varied directions
      vehicles.add(
          new SimulatedVehicle(
              cams.get(c), 48.137 + 0.01 * c, 11.575 + 0.013 * c, (73.0 * c) % 360));
    }
    ScheduledExecutorService reporter =
        telemetry == null
            ? null
            : startTelemetry(vehicles, clock.startEpochMs(), telemetryHz, telemetry);
    Pacing pacing = new Pacing(clock, periodNanos, slots, sink, stopped, vehicles, firstRender);
    Future<?> trigger = pool.submit(() -> pacing.trigger(cams));
    try {
      trigger.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("camera trigger failed", e.getCause());
    } finally {
      stopped.countDown();
      try {
        trigger.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        // Already reported, or a camera stuck in a render: closing below frees what it can.
      }
      if (reporter != null) {
        reporter.shutdownNow();
        reporter.awaitTermination(10, TimeUnit.SECONDS);
      }
      cams.forEach(SimulatedCamera::close);
      halt.compareAndSet(stopped, new CountDownLatch(1));
    }
    if (pacing.failure.get() != null) {
      throw pacing.failure.get();
    }
    synchronized (pacing.deliver) {
      long[] perCamera = pacing.produced.clone();
      return new Stats(
          Arrays.stream(perCamera).sum(), pacing.skipped.get(), pacing.late.get(), perCamera);
    }
  }

  /**
   * Renders one throwaway frame before the first run's clock starts: a JVM's first render is slow
   * (class loading, first compilation; about a second), and frame 0 would be late or skip frames.
   */
  private void warmUp() {
    if (warm) {
      return;
    }
    try (SimulatedCamera c =
        new SimulatedCamera(
            "warm-up", null, seed, width, height, fps, clipSeconds, jpegQuality, 0)) {
      c.frame(0);
    }
    warm = true;
  }

  /** Camera number {@code k} of this fleet, its clock started at {@code startEpochMs}. */
  private SimulatedCamera camera(int k, long startEpochMs) {
    return new SimulatedCamera(
        cameraId(k),
        vehicleId(k),
        cameraSeed(seed, k),
        width,
        height,
        fps,
        clipSeconds,
        jpegQuality,
        startEpochMs);
  }

  /**
   * How long rendering frame 0 of every camera takes, measured on throwaway copies of them (same
   * ids and seeds): each camera's first frame builds its scene, which the fleet's one warm-up frame
   * does not, and a run's clock must leave it time, or frame 0 is late by that much and its
   * lateness is counted as capture-to-result latency. Renders at most {@code threads} at a time, as
   * the trigger does.
   */
  private long firstRenderNanos() throws InterruptedException {
    // timed with the cameras' construction: the run builds its cameras after fixing the clock
    long t0 = System.nanoTime();
    List<SimulatedCamera> copies = new ArrayList<>(numbers.length);
    try {
      for (int k : numbers) {
        copies.add(camera(k, 0));
      }
      renderAll(copies, 0);
      return System.nanoTime() - t0;
    } finally {
      copies.forEach(SimulatedCamera::close);
    }
  }

  /** Frame {@code seq} of every camera, rendered on the pool, at most {@code threads} at once. */
  private SimFrame[] renderAll(List<SimulatedCamera> cams, long seq) throws InterruptedException {
    List<Future<SimFrame>> shots = new ArrayList<>(cams.size());
    try {
      for (SimulatedCamera cam : cams) {
        shots.add(
            pool.submit(
                () -> {
                  renders.acquire();
                  try {
                    return cam.frame(seq);
                  } finally {
                    renders.release();
                  }
                }));
      }
      SimFrame[] out = new SimFrame[cams.size()];
      for (int c = 0; c < out.length; c++) {
        out[c] = shots.get(c).get();
      }
      return out;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException("render failed", e.getCause());
    } finally {
      shots.forEach(f -> f.cancel(true));
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
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("vehicle-telemetry"));
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

  /** Where a run's clock starts, on the monotonic clock and on the wall clock. */
  private record Clock(long startNanos, long startEpochMs) {}

  /** The shared state of one run and the loop each camera runs. */
  private final class Pacing {
    final Clock clock;
    final double periodNanos;
    final long slots;
    final Consumer<SimFrame> sink;
    final CountDownLatch stopped;
    final List<SimulatedVehicle> vehicles;
    final Object deliver = new Object();
    final long[] produced;
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final long firstRenderNanos;

    Pacing(
        Clock clock,
        double periodNanos,
        long slots,
        Consumer<SimFrame> sink,
        CountDownLatch stopped,
        List<SimulatedVehicle> vehicles,
        long firstRenderNanos) {
      this.firstRenderNanos = firstRenderNanos;
      this.clock = clock;
      this.periodNanos = periodNanos;
      this.slots = slots;
      this.sink = sink;
      this.stopped = stopped;
      this.vehicles = vehicles;
      this.produced = new long[vehicles.size()];
    }

    long due(long seq) {
      return clock.startNanos() + Math.round(seq * periodNanos);
    }

    /**
     * The fleet's trigger: renders every camera's frame of one capture instant ahead (at most
     * {@code threads} renders at a time), delivers them together at their capture time, and skips
     * the instants whose capture time passed while it was busy.
     */
    void trigger(List<SimulatedCamera> cams) {
      long seq = 0;
      long renderNanos = firstRenderNanos;
      try {
        while (seq < slots && stopped.getCount() > 0) {
          // Just in time: start the instant's renders as late as they can start and still be
          // ready (the slowest recent render, plus a quarter for safety), so that on a machine
          // shared with the service they overlap its work on the previous frame as little as a
          // real camera's capture would. Renders longer than a period start at once, as before.
          long start = due(seq) - renderNanos - renderNanos / 4;
          if (seq > 0 && stopped.await(start - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            return;
          }
          long t0 = System.nanoTime();
          SimFrame[] shot = renderAll(cams, seq);
          long took = System.nanoTime() - t0;
          // the slowest recent render, forgotten slowly (a JIT-cold first render is not kept)
          renderNanos = Math.max(took, renderNanos - renderNanos / 8);
          long due = due(seq);
          if (stopped.await(due - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            return;
          }
          synchronized (deliver) {
            for (int c = 0; c < shot.length; c++) {
              // Seen by the vehicle at its capture time, not when rendered ahead.
              vehicles.get(c).observe(shot[c]);
              sink.accept(shot[c]);
              produced[c]++;
            }
          }
          long now = System.nanoTime();
          if (now - due > periodNanos) {
            late.addAndGet(shot.length);
          }
          long next = seq + 1;
          while (next < slots && due(next) < now) {
            next++;
            skipped.addAndGet(shot.length);
          }
          seq = next;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        stopped.countDown();
      }
    }
  }

  /**
   * Asks the running {@link #run} (or, between runs, the next one) to stop now: cameras waiting for
   * a capture time stop waiting.
   */
  public void stop() {
    halt.get().countDown();
  }

  public int cameras() {
    return numbers.length;
  }

  /** Stops the cameras' threads; a run in progress stops. Idempotent. */
  @Override
  public void close() {
    stop();
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

  /** Whether {@link #close} has finished: no camera thread is left. */
  public boolean isTerminated() {
    return pool.isTerminated();
  }
}
