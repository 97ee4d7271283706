package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.model.report.TrainingLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reproducibility with a fixed seed, resuming from a checkpoint, and settings errors. */
class TrainerRunTest {
  @TempDir static Path tmp;
  static Path data;
  static final ModelConfig CFG = ModelConfig.defaults().withInput(64, 96);

  @BeforeAll
  static void data() throws Exception {
    data = TinyTraining.dataset(tmp.resolve("data"), 8, 256, 144, 40);
  }

  private static Trainer.Outcome train(Path out, int epochs, boolean resume, long seed)
      throws Exception {
    return train(out, epochs, resume, seed, 0);
  }

  private static Trainer.Outcome train(
      Path out, int epochs, boolean resume, long seed, int stopAfter) throws Exception {
    return train(CFG, out, epochs, resume, seed, stopAfter);
  }

  private static Trainer.Outcome train(
      ModelConfig cfg, Path out, int epochs, boolean resume, long seed, int stopAfter)
      throws Exception {
    return TinyTraining.of(data, out, cfg)
        .epochs(epochs)
        .seed(seed)
        .resume(resume)
        .stopAfter(stopAfter)
        .run();
  }

  @Test
  void aFixedSeedReproducesTheRunAndAnotherSeedDoesNot() throws Exception {
    Trainer.Outcome a = train(tmp.resolve("a"), 1, false, 3);
    Trainer.Outcome b = train(tmp.resolve("b"), 1, false, 3);
    Trainer.Outcome c = train(tmp.resolve("c"), 1, false, 4);
    assertThat(b.firstLoss()).isEqualTo(a.firstLoss());
    assertThat(b.lastLoss()).isEqualTo(a.lastLoss());
    assertThat(c.firstLoss()).isNotEqualTo(a.firstLoss());
  }

  @Test
  void resumeContinuesFromTheLastCheckpoint() throws Exception {
    Path out = tmp.resolve("r");
    // interrupted after epoch 1 of a 2-epoch schedule, then resumed
    train(out, 2, false, 5, 1);
    TrainingLog first = TrainingLog.readJson(out.resolve("checkpoint/log.json"));
    int steps = first.steps().size();
    train(out, 2, true, 5, 0);
    TrainingLog resumed = TrainingLog.readJson(out.resolve("checkpoint/log.json"));
    assertThat(resumed.epochs()).hasSize(2);
    assertThat(resumed.steps()).hasSize(2 * steps);
    assertThat(resumed.steps().get(steps).step()).isEqualTo(steps + 1);
    // the uninterrupted two-epoch run takes the same steps
    Trainer.Outcome straight = train(tmp.resolve("s"), 2, false, 5);
    assertThat(resumed.steps().get(2 * steps - 1).losses().get("total"))
        .isCloseTo(straight.lastLoss(), org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void resumingWithAnotherSegmentationDecoderIsRefusedNamingTheSetting() throws Exception {
    Path out = tmp.resolve("d");
    train(CFG.withSegOwnBlock(false), out, 2, false, 5, 1);
    assertThatThrownBy(() -> train(CFG.withSegOwnBlock(true), out, 2, true, 5, 0))
        .hasMessageContaining("seg/p2block")
        .hasMessageContaining("--seg-decoder");
  }

  @Test
  void aBatchLargerThanTheDataIsRefusedNamingTheSetting() {
    Trainer.Options o = TinyTraining.of(data, tmp.resolve("x"), CFG).batch(500).options();
    assertThatThrownBy(() -> new Trainer(o, new PrintWriter(new StringWriter())).run())
        .hasMessageContaining("--batch 500");
  }
}
