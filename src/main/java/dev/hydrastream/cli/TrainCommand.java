package dev.hydrastream.cli;

import dev.hydrastream.model.ModelConfig;
import dev.hydrastream.model.Trainer;
import dev.hydrastream.spec.Head;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a model on a BDD100K-layout dataset and exports it with its card and report. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the multi-task network (or single-task baselines with --tasks) and export a model",
      "directory: SavedModel, model.json card, report/ (loss curves, metrics, timeline)."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Dataset directory (BDD100K layout).")
  Path data;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL_DIR",
      description = "Model directory to write.")
  Path out;

  @Option(
      names = "--tasks",
      defaultValue = "all",
      description = "all, or a comma list of weather,timeofday,scene,detection,segmentation.")
  String tasks;

  @Option(
      names = "--epochs",
      defaultValue = "20",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.002",
      description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--warmup",
      defaultValue = "300",
      description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--clip",
      defaultValue = "5.0",
      description = "Global gradient-norm clip (default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--input",
      defaultValue = "224x384",
      description = "Model input HEIGHTxWIDTH, multiples of 32 (default: ${DEFAULT-VALUE}).")
  String input;

  @Option(
      names = "--seg-decoder",
      defaultValue = "own",
      paramLabel = "own|shared",
      description = {
        "With detection and segmentation: 'own' gives segmentation its own last",
        "stride-4 block, 'shared' shares detection's (default: ${DEFAULT-VALUE})."
      })
  String segDecoder;

  private boolean segOwnBlock() {
    return switch (segDecoder) {
      case "own" -> true;
      case "shared" -> false;
      default ->
          throw new IllegalArgumentException(
              "--seg-decoder must be own or shared, got '" + segDecoder + "'");
    };
  }

  @Option(
      names = "--width",
      defaultValue = "0.5",
      description = "Backbone width multiplier (default: ${DEFAULT-VALUE}).")
  double width;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads (0 = cores).")
  int threads;

  @Option(
      names = "--max-train",
      defaultValue = "0",
      description = "Use at most N training frames (0 = all).")
  int maxTrain;

  @Option(
      names = "--name",
      defaultValue = "hydranet",
      description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--resume", description = "Continue from OUT/checkpoint.")
  boolean resume;

  @Option(
      names = "--loss-weights",
      defaultValue = "",
      paramLabel = "TASK=W,...",
      description =
          "Per-task loss weights over the defaults (1 each, box 5, seg 10), e.g."
              + " seg=12,heatmap=2 (names: weather, timeofday, scene, heatmap, box, seg).")
  String lossWeights;

  @Option(
      names = "--export-checkpoint",
      description = "Only export OUT/checkpoint (of an interrupted run) to OUT; no training.")
  boolean exportCheckpoint;

  @Option(
      names = "--init",
      paramLabel = "MODEL_DIR",
      description = {
        "Start from the weights of this exported model (same architecture) instead of random",
        "ones; its batch norms are re-split from the folded layers on the training frames."
      })
  Path init;

  @Option(
      names = "--label-smoothing",
      defaultValue = "0.05",
      description =
          "Label smoothing of weather, time of day and scene (default: ${DEFAULT-VALUE}).")
  double labelSmoothing;

  @Option(
      names = "--augment",
      defaultValue = "strong",
      paramLabel = "basic|strong",
      description = {
        "Augmentation: 'strong' adds wider scale, saturation, gamma, noise, blur, random",
        "erasing and mosaic to 'basic' (flip, +-12%% scale, shift, brightness, contrast;",
        "models before domain randomization) (default: ${DEFAULT-VALUE})."
      })
  String augment;

  @Option(
      names = "--backbone",
      defaultValue = "mobilenet-v1",
      paramLabel = "mobilenet-v1|centernet-mnv3",
      description = {
        "Backbone: 'mobilenet-v1' (ours, from scratch) or 'centernet-mnv3' (the imported",
        "COCO CenterNet, see --pretrained) (default: ${DEFAULT-VALUE})."
      })
  String backbone;

  @Option(
      names = "--pretrained",
      paramLabel = "DIR",
      description = {
        "Directory of the pretrained package files for --backbone centernet-mnv3",
        "(default: models/pretrained/centernet-mnv3, checked against pinned SHA-256)."
      })
  Path pretrained;

  @Option(
      names = "--freeze",
      defaultValue = "pretrained",
      paramLabel = "none|backbone|pretrained",
      description = {
        "With a pretrained backbone: imported layers kept as imported: 'backbone' (MobileNetV3),",
        "'pretrained' (backbone and pyramid; the remapped detection head still trains) or",
        "'none' (default: ${DEFAULT-VALUE})."
      })
  String freeze;

  @Option(
      names = "--distill",
      defaultValue = "1.0",
      description = {
        "With a pretrained backbone: weight of learning without forgetting, the imported COCO",
        "detector's heat map and boxes distilled on every training frame (default: ${DEFAULT-VALUE})."
      })
  double distill;

  @Option(
      names = "--target-prior",
      defaultValue = "training",
      paramLabel = "training|bdd100k",
      description = {
        "Class prior the exported weather, time-of-day and scene heads answer for: 'training'",
        "(as trained) or 'bdd100k' (label-shift correction to real roads' frequencies, BDD100K",
        "train split) (default: ${DEFAULT-VALUE})."
      })
  String targetPrior;

  @Option(
      names = "--stop-after",
      defaultValue = "0",
      description =
          "Stop after N epochs of this invocation (the schedule stays that of --epochs;"
              + " continue with --resume). 0 = run to the end.")
  int stopAfter;

  @Override
  public Integer call() throws Exception {
    int[] hw = Dimensions.parse(spec, "--input", input, "HEIGHTxWIDTH", 1, 8192);
    if (pretrained != null) {
      dev.hydrastream.model.PretrainedCenterNet.use(pretrained);
    }
    ModelConfig cfg;
    try {
      cfg =
          ModelConfig.builder()
              .optName(name)
              .optInput(hw[0], hw[1])
              .optWidth(width)
              .optTasks(Head.parse(tasks))
              .optSegOwnBlock(segOwnBlock())
              .optBackbone(ModelConfig.Backbone.of(backbone))
              .build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    dev.hydrastream.model.TrainGraph.LossWeights weights;
    try {
      weights = dev.hydrastream.model.TrainGraph.LossWeights.parse(lossWeights);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (epochs < 1 || batch < 1 || !(lr > 0)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--epochs, --batch and --lr must be positive");
    }
    if (exportCheckpoint) {
      Path dir =
          Trainer.exportCheckpoint(
              cfg,
              out.resolve("checkpoint"),
              out,
              java.util.Map.of("training", java.util.Map.of("note", "exported from checkpoint")));
      spec.commandLine().getOut().println("exported " + out.resolve("checkpoint") + " to " + dir);
      spec.commandLine().getOut().flush();
      return 0;
    }
    String command =
        "./hydrastream train "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs())
                .replaceFirst("^train ", "");
    dev.hydrastream.model.Augmenter.Recipe recipe =
        switch (augment) {
          case "basic" -> dev.hydrastream.model.Augmenter.Recipe.BASIC;
          case "strong" -> dev.hydrastream.model.Augmenter.Recipe.STRONG;
          default ->
              throw new picocli.CommandLine.ParameterException(
                  spec.commandLine(), "--augment must be basic or strong, got '" + augment + "'");
        };
    Trainer.Options o;
    try {
      if (!backbone.equals("centernet-mnv3")
          && (distill != 1.0 || !freeze.equals("pretrained"))
          && spec.commandLine().getParseResult().hasMatchedOption("--freeze")) {
        throw new IllegalArgumentException("--freeze and --distill need --backbone centernet-mnv3");
      }
      o =
          Trainer.Options.builder()
              .setData(data)
              .setOut(out)
              .optConfig(cfg)
              .optEpochs(epochs)
              .optBatch(batch)
              .optLr(lr)
              .optWarmupSteps(warmup)
              .optClipNorm(clip)
              .optSeed(seed)
              .optThreads(threads)
              .optResume(resume)
              .optMaxTrain(maxTrain)
              .optStopAfter(stopAfter)
              .optLossWeights(weights)
              .optCommand(command)
              .optInit(init)
              .optLabelSmoothing(labelSmoothing)
              .optAugment(recipe)
              .optTransfer(new Trainer.Transfer(freeze, distill, targetPrior))
              .build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    Trainer.Outcome r = new Trainer(o, err).run();
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        "model written to %s (%.1f MFLOPs/image, %d parameters) in %.0f s%n",
        r.model(), r.flops() / 1e6, r.parameters(), r.seconds());
    w.printf("loss %.4f -> %.4f; validation: %s%n", r.firstLoss(), r.lastLoss(), r.validation());
    w.flush();
    return 0;
  }
}
