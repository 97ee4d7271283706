package dev.hydrastream.model;

import dev.hydrastream.data.Bdd100kDataset;
import dev.hydrastream.data.Bdd100kReader;
import dev.hydrastream.data.Sample;
import dev.hydrastream.eval.MetricSet;
import dev.hydrastream.model.report.ReportWriter;
import dev.hydrastream.model.report.TrainingLog;
import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.spec.Head;
import dev.hydrastream.util.DaemonThreads;
import dev.hydrastream.util.Json;
import dev.hydrastream.util.ProgressLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Trains a {@link ModelConfig} on a BDD100K-layout dataset: joint loss, Adam with linear warm-up
 * and cosine decay, gradient clipping by global norm, label-preserving augmentation prepared in a
 * background thread, a progress line with ETA and per-task losses, a checkpoint after every epoch
 * ({@code --resume} continues from it), validation after every epoch, export of the model directory
 * and a training report.
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /**
   * Training settings.
   *
   * @param data dataset directory (BDD100K layout)
   * @param out model directory to write
   * @param config network shape and heads
   * @param epochs passes over the training split
   * @param batch batch size
   * @param lr peak learning rate
   * @param warmupSteps linear warm-up steps
   * @param clipNorm global gradient-norm bound
   * @param seed seed of initialisation, order and augmentation
   * @param threads TensorFlow intra-op threads (0 = cores)
   * @param resume continue from {@code out/checkpoint} if present
   * @param maxTrain use at most this many training frames (0 = all)
   * @param stopAfter stop after this many epochs of this invocation, keeping the schedule of {@code
   *     epochs} so that {@code --resume} continues it exactly (0 = run to the end)
   * @param lossWeights per-task weights of the joint loss
   * @param command the command line, recorded in the card
   * @param init an exported model of the same architecture to start from ({@link WarmStart}), or
   *     null to start from random weights
   * @param labelSmoothing label smoothing of the classification losses, 0..0.5
   * @param augment the augmentation recipe
   * @param transfer fine-tuning of a pretrained backbone: frozen layers and distillation
   */
  public record Options(
      Path data,
      Path out,
      ModelConfig config,
      int epochs,
      int batch,
      double lr,
      int warmupSteps,
      double clipNorm,
      long seed,
      int threads,
      boolean resume,
      int maxTrain,
      int stopAfter,
      TrainGraph.LossWeights lossWeights,
      String command,
      Path init,
      double labelSmoothing,
      Augmenter.Recipe augment,
      Transfer transfer) {

    public Options {
      if (transfer == null) {
        transfer = Transfer.none();
      }
      if (!(labelSmoothing >= 0 && labelSmoothing <= 0.5)) {
        throw new IllegalArgumentException(
            "--label-smoothing must be within 0..0.5, got " + labelSmoothing);
      }
    }

    /**
     * A builder with the {@code train} command's defaults; {@code data} and {@code out} must be
     * set.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
      Builder b = new Builder();
      b.data = data;
      b.out = out;
      b.config = config;
      b.epochs = epochs;
      b.batch = batch;
      b.lr = lr;
      b.warmupSteps = warmupSteps;
      b.clipNorm = clipNorm;
      b.seed = seed;
      b.threads = threads;
      b.resume = resume;
      b.maxTrain = maxTrain;
      b.stopAfter = stopAfter;
      b.lossWeights = lossWeights;
      b.command = command;
      b.init = init;
      b.labelSmoothing = labelSmoothing;
      b.augment = augment;
      b.transfer = transfer;
      return b;
    }

    /**
     * Builds {@link Options} (DJL {@code Criteria} style): {@code set*} are required, {@code opt*}
     * optional with the {@code train} command's defaults; {@link #build()} validates.
     */
    public static final class Builder {
      private Path data;
      private Path out;
      private ModelConfig config = ModelConfig.defaults();
      private int epochs = 20;
      private int batch = 16;
      private double lr = 0.002;
      private int warmupSteps = 300;
      private double clipNorm = 5.0;
      private long seed = 1;
      private int threads = 0;
      private boolean resume = false;
      private int maxTrain = 0;
      private int stopAfter = 0;
      private TrainGraph.LossWeights lossWeights = TrainGraph.LossWeights.defaults();
      private String command = null;
      private Path init = null;
      private double labelSmoothing = 0.05;
      private Augmenter.Recipe augment = Augmenter.Recipe.STRONG;
      private Transfer transfer = Transfer.none();

      private Builder() {}

      public Builder setData(Path data) {
        this.data = data;
        return this;
      }

      public Builder setOut(Path out) {
        this.out = out;
        return this;
      }

      public Builder optConfig(ModelConfig config) {
        this.config = config;
        return this;
      }

      public Builder optEpochs(int epochs) {
        this.epochs = epochs;
        return this;
      }

      public Builder optBatch(int batch) {
        this.batch = batch;
        return this;
      }

      public Builder optLr(double lr) {
        this.lr = lr;
        return this;
      }

      public Builder optWarmupSteps(int warmupSteps) {
        this.warmupSteps = warmupSteps;
        return this;
      }

      public Builder optClipNorm(double clipNorm) {
        this.clipNorm = clipNorm;
        return this;
      }

      public Builder optSeed(long seed) {
        this.seed = seed;
        return this;
      }

      public Builder optThreads(int threads) {
        this.threads = threads;
        return this;
      }

      public Builder optResume(boolean resume) {
        this.resume = resume;
        return this;
      }

      public Builder optMaxTrain(int maxTrain) {
        this.maxTrain = maxTrain;
        return this;
      }

      public Builder optStopAfter(int stopAfter) {
        this.stopAfter = stopAfter;
        return this;
      }

      public Builder optLossWeights(TrainGraph.LossWeights lossWeights) {
        this.lossWeights = lossWeights;
        return this;
      }

      public Builder optCommand(String command) {
        this.command = command;
        return this;
      }

      public Builder optInit(Path init) {
        this.init = init;
        return this;
      }

      public Builder optLabelSmoothing(double labelSmoothing) {
        this.labelSmoothing = labelSmoothing;
        return this;
      }

      public Builder optAugment(Augmenter.Recipe augment) {
        this.augment = augment;
        return this;
      }

      public Builder optTransfer(Transfer transfer) {
        this.transfer = transfer;
        return this;
      }

      /** The options; a missing or invalid value fails with the name of its setting. */
      public Options build() {
        if (data == null) {
          throw new IllegalArgumentException("--data is required");
        }
        if (out == null) {
          throw new IllegalArgumentException("--out is required");
        }
        return new Options(
            data,
            out,
            config,
            epochs,
            batch,
            lr,
            warmupSteps,
            clipNorm,
            seed,
            threads,
            resume,
            maxTrain,
            stopAfter,
            lossWeights,
            command,
            init,
            labelSmoothing,
            augment,
            transfer);
      }
    }
  }

  /**
   * Fine-tuning settings of a pretrained backbone ({@code --freeze}, {@code --distill}).
   *
   * @param freeze which imported layers stay as imported: none, backbone (MobileNetV3 stages), or
   *     pretrained (backbone and the CenterNet pyramid: every imported layer except the detection
   *     head, whose class rows are remapped)
   * @param distill weight of the learning-without-forgetting loss against the imported detector
   * @param targetPrior class prior the exported attribute heads answer for: "training" (as trained)
   *     or "bdd100k" ({@link LabelPrior}: real roads' frequencies)
   */
  public record Transfer(String freeze, double distill, String targetPrior) {
    public Transfer {
      if (targetPrior == null) {
        targetPrior = "training";
      }
      if (!java.util.List.of("training", "bdd100k").contains(targetPrior)) {
        throw new IllegalArgumentException(
            "--target-prior must be training or bdd100k, got '" + targetPrior + "'");
      }
      if (!java.util.List.of("none", "backbone", "pretrained").contains(freeze)) {
        throw new IllegalArgumentException(
            "--freeze must be none, backbone or pretrained, got '" + freeze + "'");
      }
      if (!(distill >= 0) || Double.isInfinite(distill)) {
        throw new IllegalArgumentException(
            "--distill must be a finite number >= 0, got " + distill);
      }
    }

    public Transfer(String freeze, double distill) {
      this(freeze, distill, "training");
    }

    public static Transfer none() {
      return new Transfer("none", 0);
    }

    /** Variables (by name) that are not trained. */
    java.util.function.Predicate<String> frozen() {
      return switch (freeze) {
        case "backbone" ->
            n ->
                n.startsWith(TfjsNet.PREFIX + "tower_0/MobilenetV3/")
                    || n.startsWith(TfjsNet.PREFIX + "MobilenetV3/")
                    || n.startsWith(TfjsNet.PREFIX + "tower_0/extern1/");
        case "pretrained" -> n -> n.startsWith(TfjsNet.PREFIX);
        default -> n -> false;
      };
    }
  }

  /** What a run produced. */
  public record Outcome(
      Path model,
      MetricSet.Headline validation,
      long flops,
      long parameters,
      double seconds,
      double firstLoss,
      double lastLoss) {}

  private final Options o;
  private final ProgressLine progress;

  public Trainer(Options options, PrintWriter progressOut) {
    this.o = options;
    this.progress = ProgressLine.onStderr(progressOut);
  }

  public Outcome run() throws IOException {
    Instant start = Instant.now();
    TensorFlowRuntime.load();
    ModelConfig cfg = o.config();
    Path ckpt = o.out().resolve("checkpoint");
    TrainingLog log =
        o.resume() && Files.exists(ckpt.resolve("log.json"))
            ? TrainingLog.readJson(ckpt.resolve("log.json"))
            : new TrainingLog();

    // ---- data
    Instant t0 = Instant.now();
    Bdd100kDataset ds = Bdd100kReader.open(o.data());
    List<Sample> trainSamples = new ArrayList<>(ds.samples("train"));
    if (o.maxTrain() > 0 && trainSamples.size() > o.maxTrain()) {
      trainSamples = trainSamples.subList(0, o.maxTrain());
    }
    List<Sample> valSamples = ds.splits().contains("val") ? ds.samples("val") : List.of();
    TrainingData data = new TrainingData(cfg);
    int cores = Runtime.getRuntime().availableProcessors();
    Path cache = o.data().resolve("cache");
    List<TrainingData.Prepared> train =
        data.prepareCached(
            trainSamples, cache, cores, n -> progress("preparing training frames", n, -1));
    List<TrainingData.Prepared> val =
        data.prepareCached(
            valSamples, cache, cores, n -> progress("preparing validation frames", n, -1));
    progress.end();
    log.phase("data", t0, Instant.now());
    if (train.size() < o.batch()) {
      throw new IllegalArgumentException(
          "--batch "
              + o.batch()
              + " is larger than the "
              + train.size()
              + " training frames in "
              + o.data());
    }

    // ---- graph and session
    TrainGraph g =
        new TrainGraph(
            cfg, o.seed(), o.lossWeights(), o.clipNorm(), o.labelSmoothing(), o.transfer());
    Augmenter augmenter = new Augmenter(cfg, o.augment());
    int intra = o.threads() > 0 ? o.threads() : cores;
    ConfigProto config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intra)
            .setInterOpParallelismThreads(1)
            .build();
    MetricSet.Headline lastValidation = null;
    Map<Head, Calibration.Collected> lastLogits = null;
    TrainingRecord record = TrainingRecord.start(o, ckpt);
    double firstLoss = Double.NaN;
    double lastLoss = Double.NaN;
    try (Session session = new Session(g.graph, config)) {
      session.initialize();
      int startEpoch = 0;
      int epochsDone;
      long step = 0;
      if (o.resume() && Files.exists(ckpt.resolve("state.json"))) {
        var state = Json.MAPPER.readTree(ckpt.resolve("state.json").toFile());
        Weights.assign(g.tf, session, g.allVariables, Weights.load(ckpt.resolve("weights.bin")));
        startEpoch = state.get("epochs_done").asInt();
        step = state.get("step").asLong();
        LOG.info("Resuming from {} after epoch {} (step {})", ckpt, startEpoch, step);
      } else if (o.init() != null) {
        WarmStart.apply(g, session, o.init(), train);
        LOG.info("Starting from the weights of {}", o.init());
      }
      epochsDone = startEpoch;
      int stepsPerEpoch = train.size() / o.batch();
      long totalSteps = (long) stepsPerEpoch * o.epochs();
      int warmup = (int) Math.min(o.warmupSteps(), Math.max(1, totalSteps / 5));
      ExecutorService producer =
          Executors.newSingleThreadExecutor(DaemonThreads.named("batch-producer"));
      try {
        int endEpoch =
            o.stopAfter() > 0 ? Math.min(o.epochs(), startEpoch + o.stopAfter()) : o.epochs();
        for (int epoch = startEpoch; epoch < endEpoch; epoch++) {
          Instant te = Instant.now();
          BlockingQueue<TrainingData.Batch> queue = new ArrayBlockingQueue<>(3);
          List<Integer> order = new ArrayList<>();
          for (int i = 0; i < train.size(); i++) {
            order.add(i);
          }
          Collections.shuffle(order, new Random(o.seed() * 1_000_003L + epoch));
          final int ep = epoch;
          Future<?> produced =
              producer.submit(
                  () -> {
                    for (int b = 0; b < stepsPerEpoch; b++) {
                      List<TrainingData.Prepared> items = new ArrayList<>(o.batch());
                      for (int j = 0; j < o.batch(); j++) {
                        Random rnd = Augmenter.sampleRandom(o.seed(), ep, b, j);
                        items.add(
                            augmenter.augment(train.get(order.get(b * o.batch() + j)), train, rnd));
                      }
                      queue.put(data.batch(items));
                    }
                    return null;
                  });
          long epochStart = System.nanoTime();
          for (int b = 0; b < stepsPerEpoch; b++) {
            TrainingData.Batch batch = take(queue, produced);
            double lr = learningRate(step, warmup, totalSteps);
            Map<String, Double> losses = trainStep(g, session, batch, lr, step);
            step++;
            log.step(step, epoch + 1, lr, losses);
            double total = losses.get("total");
            if (Double.isNaN(firstLoss)) {
              firstLoss = total;
            }
            lastLoss = total;
            if (!Double.isFinite(total)) {
              throw new IllegalStateException(
                  "loss became " + total + " at step " + step + "; lower --lr");
            }
            stepProgress(epoch, b + 1, stepsPerEpoch, step, totalSteps, losses, epochStart, start);
          }
          progress.end();
          log.phase("training", te, Instant.now());

          Instant tv = Instant.now();
          Validation.Result vr = Validation.validate(g, session, val);
          lastValidation = vr.headline();
          lastLogits = vr.logits();
          log.epoch(epoch + 1, lastValidation.asMap());
          log.phase("evaluation", tv, Instant.now());
          LOG.info(
              "epoch {}/{} validation: {}", epoch + 1, o.epochs(), format(lastValidation.asMap()));

          Files.createDirectories(ckpt);
          Weights.write(ckpt.resolve("weights.bin"), Weights.read(session, g.allVariables));
          Map<String, Object> state = new LinkedHashMap<>();
          state.put("epochs_done", epoch + 1);
          state.put("step", step);
          state.put("seed", o.seed());
          state.put("invocations", record.upTo(epoch + 1, Duration.between(start, Instant.now())));
          if (record.init() != null) {
            state.put("init", record.init());
          }
          epochsDone = epoch + 1;
          Files.writeString(ckpt.resolve("state.json"), Json.MAPPER.writeValueAsString(state));
          log.writeJson(ckpt.resolve("log.json"));
        }
      } finally {
        producer.shutdownNow();
      }

      // ---- export
      Instant tx = Instant.now();
      Map<String, org.tensorflow.op.core.Variable<TFloat32>> vars = new LinkedHashMap<>();
      g.train.specs().keySet().forEach(n -> vars.put(n, g.train.variables().get(n)));
      if (lastValidation == null && !val.isEmpty()) {
        Validation.Result vr = Validation.validate(g, session, val);
        lastValidation = vr.headline();
        lastLogits = vr.logits();
      }
      Map<String, Object> oodCard = null;
      if (g.inferHeads.logits().containsKey(MultiTaskNet.OOD_FEATURES)) {
        OodStats.Fit ood = OodStats.fit(g, session, train, 1024);
        Map<String, org.tensorflow.op.core.Variable<TFloat32>> oodVars = new LinkedHashMap<>();
        ood.values().keySet().forEach(n -> oodVars.put(n, g.train.variables().get(n)));
        Weights.assign(g.tf, session, oodVars, ood.values());
        oodCard = ood.card();
        LOG.info(
            "out-of-distribution score fitted on {} training frames",
            oodCard.get("fitted_on_frames"));
      }
      Map<Head, Calibration.Fit> fits = lastLogits == null ? Map.of() : Calibration.fit(lastLogits);
      fits.forEach((h, f) -> LOG.info("calibration of {}: {}", h.id(), f));
      Map<String, Object> card = new LinkedHashMap<>();
      card.put(
          "training",
          record.card(train.size(), epochsDone, Duration.between(start, Instant.now())));
      card.put("validation", lastValidation);
      if (!fits.isEmpty()) {
        card.put("calibration", Calibration.card(fits));
      }
      if (oodCard != null) {
        card.put("ood", oodCard);
      }
      Map<String, Weights.Value> exported = Calibration.apply(Weights.read(session, vars), fits);
      if (o.transfer().targetPrior().equals("bdd100k")) {
        Map<Head, double[]> source = new java.util.EnumMap<>(Head.class);
        for (Head h : List.of(Head.WEATHER, Head.TIMEOFDAY, Head.SCENE)) {
          if (cfg.has(h)) {
            List<Integer> labels = new ArrayList<>();
            for (TrainingData.Prepared p : train) {
              labels.add(
                  h == Head.WEATHER
                      ? p.weather()
                      : h == Head.TIMEOFDAY ? p.timeofday() : p.scene());
            }
            source.put(h, LabelPrior.frequencies(labels, h.labels().size()));
          }
        }
        exported = LabelPrior.apply(exported, source, LabelPrior.BDD100K);
        card.put("label_prior", LabelPrior.card(source, LabelPrior.BDD100K));
      }
      Exporter.Exported ex = Exporter.export(cfg, exported, o.out(), card);
      log.phase("export", tx, Instant.now());
      Map<String, Object> runInfo = new LinkedHashMap<>();
      runInfo.put("command", o.command());
      runInfo.put("model", cfg.name() + "@" + cfg.version());
      runInfo.put("tasks", cfg.tasks().stream().map(Head::id).sorted().toList());
      runInfo.put("input", cfg.inputWidth() + "x" + cfg.inputHeight());
      runInfo.put("parameters", ex.parameters());
      runInfo.put("flops_per_image", ex.flops());
      runInfo.put("seed", o.seed());
      runInfo.put("epochs", o.epochs());
      runInfo.put("train_frames", train.size());
      runInfo.put("wall_time", Duration.between(start, Instant.now()).toString());
      ReportWriter.write(log, o.out().resolve("report"), runInfo);
      double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      return new Outcome(
          o.out(), lastValidation, ex.flops(), ex.parameters(), seconds, firstLoss, lastLoss);
    }
  }

  /**
   * Exports the model variables of {@code checkpoint/weights.bin} (e.g. of an interrupted run) as a
   * model directory, without data or training.
   */
  public static Path exportCheckpoint(
      ModelConfig cfg, Path checkpointDir, Path out, Map<String, Object> card) throws IOException {
    TensorFlowRuntime.load();
    Map<String, Weights.Value> all = Weights.load(checkpointDir.resolve("weights.bin"));
    Map<String, Weights.Value> model = new LinkedHashMap<>();
    all.forEach(
        (k, v) -> {
          if (!k.endsWith("/adam_m") && !k.endsWith("/adam_v")) {
            model.put(k, v);
          }
        });
    return Exporter.export(cfg, model, out, card).dir();
  }

  private static TrainingData.Batch take(BlockingQueue<TrainingData.Batch> q, Future<?> producer)
      throws IOException {
    try {
      while (true) {
        TrainingData.Batch b = q.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        if (b != null) {
          return b;
        }
        if (producer.isDone()) {
          producer.get();
          throw new IllegalStateException("batch producer stopped early");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("preparing a batch failed: " + e.getCause(), e.getCause());
    }
  }

  /** Linear warm-up from 10% to the peak, then cosine decay to 2% of the peak. */
  double learningRate(long step, int warmup, long total) {
    double peak = o.lr();
    if (step < warmup) {
      return peak * (0.1 + 0.9 * step / (double) warmup);
    }
    double t = Math.min(1, (step - warmup) / (double) Math.max(1, total - warmup));
    double min = peak * 0.02;
    return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * t));
  }

  private Map<String, Double> trainStep(
      TrainGraph g, Session session, TrainingData.Batch b, double lr, long step) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      r.feed(
          g.image,
          own(
              owned,
              TUint8.tensorOf(
                  Shape.of(b.size(), o.config().inputHeight(), o.config().inputWidth(), 3),
                  DataBuffers.of(b.images(), true, false))));
      feedTargets(g, r, b, owned);
      r.feed(g.lr, own(owned, TFloat32.scalarOf((float) lr)));
      r.feed(
          g.beta1Power,
          own(owned, TFloat32.scalarOf((float) Math.pow(TrainGraph.BETA1, step + 1))));
      r.feed(
          g.beta2Power,
          own(owned, TFloat32.scalarOf((float) Math.pow(TrainGraph.BETA2, step + 1))));
      r.addTarget(g.step);
      List<String> names = new ArrayList<>(g.losses.keySet());
      names.forEach(n -> r.fetch(g.losses.get(n)));
      try (Result res = r.run()) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), (double) ((TFloat32) res.get(i)).getFloat());
        }
        return out;
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private static <T extends Tensor> T own(List<Tensor> owned, T t) {
    owned.add(t);
    return t;
  }

  private void feedTargets(
      TrainGraph g, Session.Runner r, TrainingData.Batch b, List<Tensor> owned) {
    int n = b.size();
    ModelConfig cfg = o.config();
    int dh = cfg.inputHeight() / cfg.detStride();
    int dw = cfg.inputWidth() / cfg.detStride();
    int sh = cfg.inputHeight() / cfg.segStride();
    int sw = cfg.inputWidth() / cfg.segStride();
    Map<String, Object[]> arrays = new LinkedHashMap<>();
    arrays.put("weather", new Object[] {b.weather(), Shape.of(n, Head.WEATHER.labels().size())});
    arrays.put("weather_known", new Object[] {b.weatherKnown(), Shape.of(n)});
    arrays.put(
        "timeofday", new Object[] {b.timeofday(), Shape.of(n, Head.TIMEOFDAY.labels().size())});
    arrays.put("timeofday_known", new Object[] {b.timeofdayKnown(), Shape.of(n)});
    arrays.put("scene", new Object[] {b.scene(), Shape.of(n, Head.SCENE.labels().size())});
    arrays.put("scene_known", new Object[] {b.sceneKnown(), Shape.of(n)});
    arrays.put(
        "heatmap", new Object[] {b.heatmap(), Shape.of(n, dh, dw, MultiTaskNet.DET_CLASSES)});
    arrays.put("box", new Object[] {b.regression(), Shape.of(n, dh, dw, 4)});
    arrays.put("box_weight", new Object[] {b.regressionMask(), Shape.of(n, dh, dw, 1)});
    arrays.put("seg", new Object[] {b.seg(), Shape.of(n, sh, sw, MultiTaskNet.SEG_CLASSES)});
    arrays.put("seg_weight", new Object[] {b.segWeight(), Shape.of(n, sh, sw)});
    g.targets.forEach(
        (name, placeholder) -> {
          Object[] a = arrays.get(name);
          r.feed(
              placeholder,
              own(
                  owned,
                  TFloat32.tensorOf((Shape) a[1], DataBuffers.of((float[]) a[0], true, false))));
        });
  }

  // ---------------------------------------------------------------- progress

  private void progress(String what, int done, int total) {
    progress.show(what + ": " + done);
  }

  private void stepProgress(
      int epoch,
      int b,
      int steps,
      long step,
      long total,
      Map<String, Double> losses,
      long epochStart,
      Instant runStart) {
    long now = System.nanoTime();
    double secsPerStep = (now - epochStart) / 1e9 / b;
    long etaSec = (long) ((total - step) * secsPerStep);
    int width = 24;
    int filled = (int) (width * step / Math.max(1, total));
    StringBuilder bar = new StringBuilder();
    for (int i = 0; i < width; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    StringBuilder l = new StringBuilder();
    losses.forEach(
        (k, v) -> {
          if (!k.equals("total")) {
            l.append(' ').append(short3(k)).append(String.format(" %.3f", v));
          }
        });
    progress.show(
        String.format(
            Locale.ROOT,
            "[%s] ep %d/%d step %d/%d loss %.3f |%s | %.1f img/s ETA %s",
            bar,
            epoch + 1,
            o.epochs(),
            step,
            total,
            losses.get("total"),
            l,
            o.batch() / Math.max(1e-9, secsPerStep),
            hms(etaSec)));
  }

  private static String short3(String k) {
    return switch (k) {
      case "weather" -> "wea";
      case "timeofday" -> "tod";
      case "scene" -> "scn";
      case "heatmap" -> "hm";
      case "box" -> "box";
      default -> k;
    };
  }

  private static String hms(long s) {
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  static String format(Map<String, Double> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append('=').append(String.format("%.3f", v)).append(' '));
    return sb.toString().trim();
  }
}
