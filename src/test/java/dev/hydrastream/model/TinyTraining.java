package dev.hydrastream.model;

import dev.hydrastream.data.SyntheticDataset;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * The tiny-model fixture of the trainer tests: a small synthetic dataset and {@link
 * Trainer.Options} of a short, quiet run with the settings those tests share (batch 8, learning
 * rate 0.003, 5 warm-up steps, clip norm 5, seed 1, 2 threads, label smoothing 0.05, the strong
 * augmentation, default loss weights, command {@code test}), each changed by a wither where a test
 * needs another value. A test-side builder, so the tests do not depend on one in main code.
 */
final class TinyTraining {

  private final Path data;
  private final Path out;
  private final ModelConfig config;
  private int epochs = 1;
  private int batch = 8;
  private int warmupSteps = 5;
  private long seed = 1;
  private boolean resume;
  private int stopAfter;
  private double labelSmoothing = 0.05;
  private Augmenter.Recipe augment = Augmenter.Recipe.STRONG;

  private TinyTraining(Path data, Path out, ModelConfig config) {
    this.data = data;
    this.out = out;
    this.config = config;
  }

  /**
   * Renders {@code count} synthetic frames of {@code width} x {@code height} with {@code seed} into
   * {@code dir} (the default splits) and returns {@code dir}.
   */
  static Path dataset(Path dir, long seed, int width, int height, int count) throws Exception {
    new SyntheticDataset(dir, seed, width, height)
        .generate(count, 2, null, SyntheticDataset.DEFAULT_SPLITS, n -> {});
    return dir;
  }

  /** A run training {@code config} on {@code data} into {@code out}, one epoch by default. */
  static TinyTraining of(Path data, Path out, ModelConfig config) {
    return new TinyTraining(data, out, config);
  }

  TinyTraining epochs(int epochs) {
    this.epochs = epochs;
    return this;
  }

  TinyTraining batch(int batch) {
    this.batch = batch;
    return this;
  }

  TinyTraining warmupSteps(int warmupSteps) {
    this.warmupSteps = warmupSteps;
    return this;
  }

  TinyTraining seed(long seed) {
    this.seed = seed;
    return this;
  }

  TinyTraining resume(boolean resume) {
    this.resume = resume;
    return this;
  }

  /** Stops after this many epochs (0: the whole schedule), as an interrupted run would. */
  TinyTraining stopAfter(int stopAfter) {
    this.stopAfter = stopAfter;
    return this;
  }

  TinyTraining labelSmoothing(double labelSmoothing) {
    this.labelSmoothing = labelSmoothing;
    return this;
  }

  TinyTraining augment(Augmenter.Recipe augment) {
    this.augment = augment;
    return this;
  }

  /** The trainer's options. */
  Trainer.Options options() {
    return Trainer.Options.builder()
        .setData(data)
        .setOut(out)
        .optConfig(config)
        .optEpochs(epochs)
        .optBatch(batch)
        .optLr(0.003)
        .optWarmupSteps(warmupSteps)
        .optClipNorm(5.0)
        .optSeed(seed)
        .optThreads(2)
        .optResume(resume)
        .optMaxTrain(0)
        .optStopAfter(stopAfter)
        .optLossWeights(TrainGraph.LossWeights.defaults())
        .optCommand("test")
        .optLabelSmoothing(labelSmoothing)
        .optAugment(augment)
        .build();
  }

  /** Trains (its progress output discarded). */
  Trainer.Outcome run() throws Exception {
    return new Trainer(options(), new PrintWriter(new StringWriter())).run();
  }
}
