package dev.hydrastream.bench;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dynamic batching against per-record prediction through the DJL path, at several numbers of
 * concurrent streams (threads that each predict one frame at a time, like stream threads):
 * per-record gives each stream its own predictor and calls it with batch 1; batched sends every
 * stream's frame to one {@link BatchingPredictor}. Inputs are decoded beforehand, so the figure is
 * the model path alone. The two modes alternate within each repeat; medians are reported.
 */
public final class BatchingBench {

  /**
   * One concurrency level.
   *
   * @param streams concurrent callers
   * @param perRecordFps frames/s with one predict call per record
   * @param batchedFps frames/s through the batching predictor
   * @param ratio median of the per-repeat ratios (each repeat measures both modes back to back)
   * @param meanBatch mean frames per model call in the batched mode
   * @param perRecordRuns every repeat's per-record figure
   * @param batchedRuns every repeat's batched figure
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Point(
      int streams,
      double perRecordFps,
      double batchedFps,
      double ratio,
      double meanBatch,
      double[] perRecordRuns,
      double[] batchedRuns) {}

  /** The batcher and measurement settings of a run. */
  public record Options(
      int[] streams, double seconds, int repeats, int maxBatch, int maxWaitMs, int workers) {}

  /** What {@code bench batching} reports. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine,
      String model,
      int maxBatch,
      int maxWaitMs,
      int workers,
      double seconds,
      int repeats,
      List<Point> points) {}

  private BatchingBench() {}

  /**
   * Runs every level of {@code o.streams()} on the model in {@code modelDir} and writes {@code
   * batching.json} and {@code batching.png} into {@code out}.
   */
  public static Report run(Path modelDir, Options o, Path out)
      throws IOException, InterruptedException {
    List<Point> points;
    try (PerceptionModel m = PerceptionModel.load(modelDir, PerceptionModel.Options.defaults())) {
      points = measure(m, o);
    }
    Report report =
        new Report(
            Reports.machine(),
            modelDir.toString(),
            o.maxBatch(),
            o.maxWaitMs(),
            o.workers(),
            o.seconds(),
            o.repeats(),
            points);
    Reports.write(out, "batching", report);
    List<String> names = new ArrayList<>();
    double[][] values = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      names.add(points.get(i).streams() + " streams");
      values[0][i] = points.get(i).perRecordFps();
      values[1][i] = points.get(i).batchedFps();
    }
    Charts.bars(
        out.resolve("batching.png"),
        "Dynamic batching vs per-record predict (frames/s, DJL + TF, CPU)",
        "frames/s",
        names,
        List.of("per-record", "dynamic batching"),
        values);
    return report;
  }

  private static List<Point> measure(PerceptionModel model, Options o) throws InterruptedException {
    List<FrameDecoder.Decoded> frames = frames(model, 8);
    List<Point> out = new ArrayList<>();
    try (BatchingPredictor batcher =
        new BatchingPredictor(model, o.maxBatch(), o.maxWaitMs(), o.workers())) {
      // Warm-up of both paths (graph optimisation on first calls, batch shapes).
      perRecord(model, frames, 2, 1.0);
      batched(batcher, frames, Math.min(o.maxBatch(), 8), 1.0);
      for (int k : o.streams()) {
        double[] a = new double[o.repeats()];
        double[] b = new double[o.repeats()];
        long batches0 = batcher.stats().batches();
        long frames0 = batcher.stats().frames();
        for (int r = 0; r < o.repeats(); r++) {
          a[r] = perRecord(model, frames, k, o.seconds());
          b[r] = batched(batcher, frames, k, o.seconds());
        }
        double meanBatch =
            (batcher.stats().frames() - frames0)
                / (double) Math.max(1, batcher.stats().batches() - batches0);
        out.add(
            new Point(
                k,
                Paired.median(a),
                Paired.median(b),
                Paired.median(Paired.ratios(b, a)),
                meanBatch,
                a,
                b));
      }
    }
    return out;
  }

  /** Rendered 1280x720 street frames, JPEG-encoded and decoded into the model input. */
  static List<FrameDecoder.Decoded> frames(PerceptionModel model, int n) {
    SceneRenderer renderer = new SceneRenderer(1280, 720);
    List<FrameDecoder.Decoded> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RenderedFrame f = renderer.render(77, i);
      byte[] jpeg = ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), 85);
      out.add(model.decoder().decode(jpeg, FrameValidator.defaults()));
    }
    return out;
  }

  private static double perRecord(
      PerceptionModel model, List<FrameDecoder.Decoded> frames, int streams, double seconds)
      throws InterruptedException {
    List<Predictor<FrameDecoder.Decoded, Perception>> predictors = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      predictors.add(model.newPredictor());
    }
    try {
      return drive(
          streams,
          seconds,
          i -> {
            Predictor<FrameDecoder.Decoded, Perception> p = predictors.get(i[0]);
            model.predict(p, List.of(frames.get(i[1] % frames.size())));
          });
    } finally {
      predictors.forEach(Predictor::close);
    }
  }

  private static double batched(
      BatchingPredictor batcher, List<FrameDecoder.Decoded> frames, int streams, double seconds)
      throws InterruptedException {
    return drive(
        streams,
        seconds,
        i -> {
          try {
            batcher.predict(frames.get(i[1] % frames.size()), 60_000);
          } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  interface Call {
    /** {@code i = {stream, iteration}}. */
    void run(int[] i);
  }

  /** Runs {@code call} in a loop on {@code streams} threads for {@code seconds}; calls/s. */
  static double drive(int streams, double seconds, Call call) throws InterruptedException {
    LongAdder done = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      int stream = s;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                int n = 0;
                while (!stop.get()) {
                  call.run(new int[] {stream, n++});
                  done.increment();
                }
              },
              "bench-stream-" + s);
      threads.add(t);
      t.start();
    }
    long t0 = System.nanoTime();
    start.countDown();
    Thread.sleep((long) (seconds * 1000));
    long counted = done.sum();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return counted / elapsed;
  }
}
