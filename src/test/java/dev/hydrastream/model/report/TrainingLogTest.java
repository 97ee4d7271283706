package dev.hydrastream.model.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.model.report.TrainingLog.Phase;
import dev.hydrastream.model.report.TrainingLog.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training log: JSON round trip for --resume, rewinding, validation, thread safety. */
class TrainingLogTest {
  @TempDir Path tmp;

  static Map<String, Double> losses(double total, double weather) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("total", total);
    m.put("weather", weather);
    return m;
  }

  @Test
  void jsonRoundTripKeepsEveryRecord() throws IOException {
    TrainingLog log = ReportWriterTest.syntheticLog(true);
    // A divergent step: NaN must survive the file, or --resume would "heal" the curve.
    log.step(501, 5, 1e-5, losses(Double.NaN, 0.25));
    Instant t = Instant.parse("2026-11-22T19:00:00.123456789Z");
    log.phase("export", t, t.plusNanos(1));

    Path file = tmp.resolve("sub/dir/training_log.json");
    log.writeJson(file);
    TrainingLog back = TrainingLog.readJson(file);

    assertThat(back.steps()).hasSize(501).isEqualTo(log.steps());
    Step last = back.steps().get(500);
    assertThat(last.step()).isEqualTo(501);
    assertThat(last.losses().get("total")).isNaN();
    assertThat(last.losses()).containsEntry("weather", 0.25);
    assertThat(back.steps().get(499).losses()).isEqualTo(log.steps().get(499).losses());
    assertThat(back.epochs()).hasSize(5).isEqualTo(log.epochs());
    assertThat(back.phases()).isEqualTo(log.phases());
    assertThat(back.phases().get(back.phases().size() - 1).start()).isEqualTo(t);
    // No temporary files left behind next to the log.
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.toList()).containsExactly(file);
    }
  }

  @Test
  void overwritingTheJsonReplacesIt() throws IOException {
    Path file = tmp.resolve("log.json");
    TrainingLog log = new TrainingLog();
    log.step(1, 1, 0.1, losses(3, 1));
    log.writeJson(file);
    log.step(2, 1, 0.1, losses(2, 1));
    log.writeJson(file);
    assertThat(TrainingLog.readJson(file).steps()).extracting(Step::step).containsExactly(1L, 2L);
  }

  @Test
  void readingAnotherFormatFailsLoudly() throws IOException {
    Path file = tmp.resolve("log.json");
    Files.writeString(file, "{\"format\": 99, \"steps\": [], \"epochs\": [], \"phases\": []}");
    assertThatThrownBy(() -> TrainingLog.readJson(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format 99");
  }

  @Test
  void aStepNotAfterTheLastRewindsToIt() {
    TrainingLog log = new TrainingLog();
    for (int s = 1; s <= 10; s++) {
      log.step(s, 1, 0.1, losses(10 - s, 1));
    }
    log.epoch(1, Map.of("map50", 0.1));
    log.epoch(2, Map.of("map50", 0.2));
    log.epoch(3, Map.of("map50", 0.3));

    // Resumed from the checkpoint after step 5 / epoch 1.
    log.step(6, 2, 0.05, losses(42, 1));
    log.epoch(2, Map.of("map50", 0.25));

    assertThat(log.steps()).extracting(Step::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(log.steps().get(5).losses()).containsEntry("total", 42.0);
    assertThat(log.epochs()).extracting(TrainingLog.Epoch::epoch).containsExactly(1, 2);
    assertThat(log.epochs().get(1).metrics()).containsEntry("map50", 0.25);
  }

  @Test
  void phasesRepeatAndKeepRecordingOrder() {
    TrainingLog log = new TrainingLog();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    log.phase("evaluation", t.plusSeconds(60), t.plusSeconds(70));
    log.phase("training", t, t.plusSeconds(60));
    log.phase("evaluation", t.plusSeconds(130), t.plusSeconds(140));
    assertThat(log.phases())
        .extracting(Phase::name)
        .containsExactly("evaluation", "training", "evaluation");
  }

  @Test
  void badRecordsAreRejected() {
    TrainingLog log = new TrainingLog();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> log.phase("data", t, t.minusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before it starts");
    assertThatThrownBy(() -> log.phase(" ", t, t)).isInstanceOf(IllegalArgumentException.class);
    Map<String, Double> withNull = new HashMap<>();
    withNull.put("total", null);
    assertThatThrownBy(() -> log.step(1, 1, 0.1, withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("total");
    assertThat(log.steps()).isEmpty();
    assertThat(log.phases()).isEmpty();
  }

  @Test
  void recordsAreImmutableCopies() {
    TrainingLog log = new TrainingLog();
    Map<String, Double> m = losses(1, 2);
    log.step(1, 1, 0.1, m);
    m.put("total", 99.0);
    assertThat(log.steps().get(0).losses()).containsEntry("total", 1.0);
    assertThatThrownBy(() -> log.steps().get(0).losses().put("x", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    TrainingLog log = new TrainingLog();
    int threads = 4;
    int each = 5_000;
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        String name = "worker" + w;
        jobs.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < each; i++) {
                    log.phase(name, t.plusSeconds(i), t.plusSeconds(i + 1));
                  }
                  return null;
                }));
      }
      // A reader taking snapshots meanwhile, as the report writer does between epochs.
      jobs.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < 200; i++) {
                  log.copy().phases().forEach(p -> assertThat(p).isNotNull());
                }
                return null;
              }));
      go.countDown();
      for (Future<?> job : jobs) {
        job.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(log.phases()).hasSize(threads * each);
  }
}
