package dev.hydrastream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.inference.Predictor;
import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.ModelVersions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cross-thread batcher on the real default model: same results, real batches, no idling. */
class BatchingPredictorTest {

  private static PerceptionModel model;
  private static List<FrameDecoder.Decoded> frames;

  @BeforeAll
  static void load() {
    model = PerceptionModel.load(Path.of("models/hydranet"), PerceptionModel.Options.defaults());
    SceneRenderer renderer = new SceneRenderer(640, 360);
    frames = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RenderedFrame f = renderer.render(5, i);
      byte[] jpeg = ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), 85);
      frames.add(model.decoder().decode(jpeg, FrameValidator.defaults()));
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /**
   * A switch while three callers predict without pause: each caller's answers come from version 1,
   * then from version 2, changing once (a worker moves between model calls); the old model is idle
   * when the switch returns, so closing it fails no call.
   */
  @Test
  void switchMovesEveryCallerOnceBetweenModelCalls(@TempDir Path repo) throws Exception {
    PerceptionModel v1 =
        PerceptionModel.load(
            ModelVersions.copy(repo, "hydranet", "1"), PerceptionModel.Options.defaults());
    PerceptionModel v2 =
        PerceptionModel.load(
            ModelVersions.copy(repo, "hydranet", "2"), PerceptionModel.Options.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (BatchingPredictor batcher = new BatchingPredictor(v1, 4, 2, 2)) {
      CountDownLatch switched = new CountDownLatch(1);
      List<Future<List<String>>> callers = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        int caller = c;
        callers.add(
            pool.submit(
                () -> {
                  List<String> models = new ArrayList<>();
                  // until well after the switch: 10 more answers once it returned
                  for (int after = 0; after < 10; ) {
                    FrameDecoder.Decoded f = frames.get((caller + models.size()) % frames.size());
                    models.add(batcher.predict(f, 60_000).model().id());
                    after += switched.getCount() == 0 ? 1 : 0;
                  }
                  return models;
                }));
      }
      Eventually.await(
          "answers of version 1",
          Duration.ofMinutes(1),
          () -> batcher.stats().frames(),
          n -> n >= 12);
      BatchingPredictor.Switched s = batcher.switchTo(v2, List.of(), Duration.ofSeconds(60));
      switched.countDown();
      assertThat(s.old()).isSameAs(v1);
      assertThat(s.idle()).isTrue();
      v1.close();
      assertThat(batcher.model()).isSameAs(v2);
      for (Future<List<String>> f : callers) {
        List<String> models = f.get(2, TimeUnit.MINUTES);
        int firstV2 = models.indexOf("hydranet@2");
        assertThat(firstV2).as("%s", models).isPositive();
        assertThat(models.subList(0, firstV2)).containsOnly("hydranet@1");
        assertThat(models.subList(firstV2, models.size())).containsOnly("hydranet@2");
      }
    } finally {
      pool.shutdownNow();
      v2.close();
    }
  }

  @Test
  void batchedResultsEqualOneByOnePredictions() throws Exception {
    List<Perception> direct = new ArrayList<>();
    try (Predictor<FrameDecoder.Decoded, Perception> p = model.newPredictor()) {
      for (FrameDecoder.Decoded f : frames) {
        direct.add(model.predict(p, List.of(f)).get(0));
      }
    }
    try (BatchingPredictor batcher = new BatchingPredictor(model, 8, 10_000, 1)) {
      List<Perception> batched = concurrently(batcher, frames.size(), 1, true);
      for (int i = 0; i < frames.size(); i++) {
        Perception a = direct.get(i);
        Perception b = batched.get(i);
        assertThat(b.detections()).hasSameSizeAs(a.detections());
        for (int d = 0; d < a.detections().size(); d++) {
          assertThat(b.detections().get(d).score())
              .isCloseTo(a.detections().get(d).score(), org.assertj.core.data.Offset.offset(1e-4));
          assertThat(b.detections().get(d).category()).isEqualTo(a.detections().get(d).category());
        }
        assertThat(b.scene().label()).isEqualTo(a.scene().label());
      }
      // Four callers that announced their frames, as stream threads do before decoding, form one
      // batch whichever submits first; the 10 s max wait is never waited out, because the batch
      // closes as soon as every announced frame is in it.
      assertThat(batcher.stats().batches()).isEqualTo(1);
      assertThat(batcher.stats().frames()).isEqualTo(4);
      assertThat(batcher.stats().waitedOut()).isZero();
    }
  }

  @Test
  void aBatchWaitsForAFrameAnnouncedByAnotherThread() throws Exception {
    try (BatchingPredictor batcher = new BatchingPredictor(model, 8, 10_000, 1)) {
      CountDownLatch announced = new CountDownLatch(1);
      CountDownLatch decoded = new CountDownLatch(1);
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        // Another stream thread is "decoding" a frame while this one's arrives.
        Future<Perception> second =
            other.submit(
                () -> {
                  batcher.announce();
                  announced.countDown();
                  decoded.await();
                  return batcher.predict(frames.get(1), 60_000);
                });
        announced.await();
        CompletableFuture<Prediction> first = batcher.submit(frames.get(0));
        // Without the announcement the first frame would run alone at once; with it, its batch
        // waits (max wait 10 s) for the announced frame.
        assertThatThrownBy(() -> first.get(2, TimeUnit.SECONDS))
            .isInstanceOf(TimeoutException.class);
        decoded.countDown();
        assertThat(second.get(60, TimeUnit.SECONDS)).isNotNull();
        assertThat(first.get(60, TimeUnit.SECONDS)).isNotNull();
        assertThat(batcher.stats().batches()).isEqualTo(1);
        assertThat(batcher.stats().frames()).isEqualTo(2);
        assertThat(batcher.stats().waitedOut()).isZero();
      } finally {
        other.shutdownNow();
      }
    }
  }

  @Test
  void aWithdrawnOrAbandonedAnnouncementHoldsNoBatchOpen() throws Exception {
    try (BatchingPredictor batcher = new BatchingPredictor(model, 8, 10_000, 1)) {
      batcher.announce();
      batcher.withdraw();
      batcher.predict(frames.get(0), 60_000);
      // A withdrawn announcement is not waited for: the 10 s window never ran out.
      assertThat(batcher.stats().waitedOut()).isZero();
    }
    try (BatchingPredictor batcher = new BatchingPredictor(model, 8, 200, 1)) {
      Thread gone = new Thread(batcher::announce);
      gone.start();
      gone.join();
      // An announcement whose thread never submits delays a batch by at most the max wait.
      assertThat(batcher.predict(frames.get(0), 60_000)).isNotNull();
      assertThat(batcher.stats().frames()).isEqualTo(1);
      assertThat(batcher.stats().waitedOut()).isEqualTo(1);
    }
  }

  @Test
  void neverWaitsForCallersAlreadyInAnotherWorkersBatch() throws Exception {
    // Counting blocked callers (rather than untaken frames) made a worker wait out max.wait for
    // callers inside another worker's running batch, or whose result was out but who had not
    // returned yet (10 s and 3.5 s in these two tests before the fix).
    long maxWaitMs = 20_000;
    try (BatchingPredictor batcher = new BatchingPredictor(model, 2, maxWaitMs, 2)) {
      List<Perception> out = concurrently(batcher, 3, 12, false);
      assertThat(out).hasSize(36).doesNotContainNull();
      // No batching window may run out while every expected frame is already in a batch.
      assertThat(batcher.stats().waitedOut()).isZero();
    }
  }

  @Test
  void warmUpRunsOnEveryWorkerAndIsNotCounted() throws Exception {
    try (BatchingPredictor batcher = new BatchingPredictor(model, 4, 5, 2)) {
      // every worker must take part: the latch counts one per worker
      assertThat(batcher.warmUp(frames.get(0), 4, java.time.Duration.ofSeconds(60))).isTrue();
      assertThat(batcher.warmUp(frames.get(1), 4, java.time.Duration.ofSeconds(60))).isTrue();
      assertThat(batcher.stats().batches()).isZero();
      assertThat(batcher.stats().frames()).isZero();
      Perception p = batcher.predict(frames.get(2), 60_000);
      assertThat(p.scene().label()).isNotBlank();
      assertThat(batcher.stats().batches()).isEqualTo(1);
    }
  }

  @Test
  void closedBatcherRefusesWork() {
    BatchingPredictor batcher = new BatchingPredictor(model, 4, 5, 1);
    batcher.close();
    assertThatThrownBy(() -> batcher.predict(frames.get(0), 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  /**
   * {@code callers} threads, each predicting {@code rounds} frames (having announced its first one
   * before they all start, if {@code announce}); results in call order.
   */
  private static List<Perception> concurrently(
      BatchingPredictor batcher, int callers, int rounds, boolean announce) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch ready = new CountDownLatch(callers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Perception>>> futures = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        futures.add(
            pool.submit(
                () -> {
                  if (announce) {
                    batcher.announce();
                  }
                  ready.countDown();
                  go.await();
                  List<Perception> mine = new ArrayList<>();
                  for (int r = 0; r < rounds; r++) {
                    mine.add(batcher.predict(frames.get((caller + r) % frames.size()), 60_000));
                  }
                  return mine;
                }));
      }
      ready.await();
      go.countDown();
      List<Perception> all = new ArrayList<>();
      for (Future<List<Perception>> f : futures) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
