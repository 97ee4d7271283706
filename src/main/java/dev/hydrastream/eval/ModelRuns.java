package dev.hydrastream.eval;

import ai.djl.inference.Predictor;
import dev.hydrastream.data.DatasetException;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.Perception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a served model over image files through the production path: OpenCV decode and letterbox (in
 * parallel), one batched DJL call per batch, results in file order.
 */
final class ModelRuns {

  /** Receives the result of image {@code index}. */
  @FunctionalInterface
  interface Sink {
    void accept(int index, Perception result);
  }

  private ModelRuns() {}

  /**
   * Predicts every image, in order.
   *
   * @param progress told the number of images done after each batch
   * @return seconds spent in the model calls alone
   */
  static double run(
      PerceptionModel model, List<Path> images, int batch, Sink sink, IntConsumer progress) {
    ExecutorService decoders =
        Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    long modelNanos = 0;
    try (Predictor<FrameDecoder.Decoded, Perception> predictor = model.newPredictor()) {
      for (int start = 0; start < images.size(); start += batch) {
        List<Path> chunk = images.subList(start, Math.min(images.size(), start + batch));
        List<Future<FrameDecoder.Decoded>> futures = new ArrayList<>();
        for (Path image : chunk) {
          futures.add(decoders.submit(() -> decode(model.decoder(), image)));
        }
        List<FrameDecoder.Decoded> decoded = new ArrayList<>();
        for (Future<FrameDecoder.Decoded> f : futures) {
          decoded.add(get(f));
        }
        long t0 = System.nanoTime();
        List<Perception> results = model.predict(predictor, decoded);
        modelNanos += System.nanoTime() - t0;
        for (int i = 0; i < chunk.size(); i++) {
          sink.accept(start + i, results.get(i));
        }
        progress.accept(start + chunk.size());
      }
    } finally {
      decoders.shutdownNow();
    }
    return modelNanos / 1e9;
  }

  private static FrameDecoder.Decoded decode(FrameDecoder decoder, Path image) {
    try {
      return decoder.decodeFile(image);
    } catch (IOException e) {
      throw new UncheckedIOException(image + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(e.getMessage());
    }
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
