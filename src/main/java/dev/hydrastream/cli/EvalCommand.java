package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import dev.hydrastream.data.Bdd100kDataset;
import dev.hydrastream.data.Bdd100kReader;
import dev.hydrastream.data.Bdd100kTrackReader;
import dev.hydrastream.data.TrackingDataset;
import dev.hydrastream.eval.DetectionCeiling;
import dev.hydrastream.eval.ImageSetEvaluator;
import dev.hydrastream.eval.MetricSet;
import dev.hydrastream.eval.ModelEvaluator;
import dev.hydrastream.eval.OodEvaluator;
import dev.hydrastream.eval.RealSetScores;
import dev.hydrastream.eval.TrackingEvaluator;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.util.Json;
import dev.hydrastream.util.ProgressLine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates a model on a labelled split through the serving path. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a model through the serving path: attribute accuracy, detection AP@0.5 per class",
      "and mAP, segmentation IoU per class, drivable mIoU and lane IoU.",
      "With --ceiling, score a size-limited oracle from the labels instead of a model.",
      "With --tracking, score the service's tracker on a box_track_20 dataset (MOTA, IDF1, ID",
      "switches, HOTA), on the ground-truth boxes or on the model's detections.",
      "With --ood-against, how well the model's out-of-distribution score tells the synthetic",
      "--data frames from real ones (AUROC, median score and share above the card's threshold)."
    })
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "MODEL_DIR",
      description = "Model directory (required unless --ceiling).")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "PATH",
      description = {
        "Dataset directory (BDD100K layout); or a folder of JPEG/PNG images without labels",
        "(class mix and mean confidence per head: an out-of-distribution check); or a",
        "real-image dev set file (JSON, e.g. models/devset/labels.json): per-image weather,",
        "time of day and scene against coarse labels and the drivable area against a road polygon;",
        "with road patches and vehicle boxes (../shared/devset-real/labels.json) also road patch",
        "drivable and vehicle recall and precision, defined as the Kafka check defines them."
      })
  Path data;

  @Option(
      names = "--overlays",
      paramLabel = "DIR",
      description =
          "With a folder or dev set: write an overlay PNG per image (segmentation, boxes, labels;"
              + " the labelled road outlined).")
  Path overlays;

  @Option(
      names = "--split",
      description = "Split to evaluate (default: test if present, else val).")
  String split;

  @Option(
      names = "--batch",
      defaultValue = "8",
      description = "Frames per model call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--min-score",
      defaultValue = "0.01",
      description =
          "Detections below this score are dropped before AP (default: ${DEFAULT-VALUE}); with a"
              + " folder or dev set, detections counted in the class mix (default there: 0.3).")
  double minScore;

  @Option(
      names = "--min-gt-height",
      defaultValue = "0",
      description =
          "Ground-truth boxes lower than this many frame pixels are ignore regions (default: ${DEFAULT-VALUE}).")
  double minGtHeight;

  @Option(
      names = "--min-instances",
      defaultValue = "50",
      description =
          "Classes with fewer test instances are left out of the headline mAP (default: ${DEFAULT-VALUE}).")
  int minInstances;

  @Option(
      names = "--ceiling",
      split = ",",
      paramLabel = "PX",
      description = {
        "Instead of a model, score an oracle that finds every box whose smaller side",
        "is at least PX pixels at the model input, exactly, and nothing smaller: the AP the",
        "input size allows. One row per PX, e.g. 3,4,5,6,8,10."
      })
  double[] ceiling;

  @Option(
      names = "--input",
      paramLabel = "HEIGHTxWIDTH",
      description = "Model input for --ceiling without --model, as in train (default: 224x384).")
  String input;

  @Option(
      names = "--tracking",
      description = {
        "Evaluate the tracker on --data in BDD100K's box_track_20 layout",
        "(labels/box_track_20/SPLIT/VIDEO.json, e.g. from dataset --video)."
      })
  boolean tracking;

  @Option(
      names = "--detections",
      paramLabel = "gt|model",
      defaultValue = "gt",
      description = {
        "With --tracking: track the ground-truth boxes (the tracker alone) or the model's",
        "detections at or above model.min.score (the whole chain) (default: ${DEFAULT-VALUE})."
      })
  String detections;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description =
          "With --tracking: frame rate of videos whose frames have no timestamp (default: ${DEFAULT-VALUE}, BDD100K's).")
  double fps;

  @Option(
      names = "--ood-against",
      paramLabel = "PATH",
      description = {
        "Score the model's out-of-distribution output (models with an ood output only) on the",
        "--data split (in distribution) and on these real frames: a dev set file (JSON, e.g.",
        "../shared/devset-real/labels.json, its images beside it) or a folder of JPEG/PNG images;",
        "report the AUROC (ties count half) and per side frames, median score and the share above",
        "the card's ood.threshold."
      })
  Path oodAgainst;

  @Option(
      names = "--ood-max-frames",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "With --ood-against: at most N frames of the --data split, evenly spread over it"
              + " (default: ${DEFAULT-VALUE}).")
  int oodMaxFrames;

  @Mixin SetOption settings;

  @Mixin JsonOption json;

  @Option(
      names = "--write-card",
      description = {
        "Record the headline metrics and this command in MODEL/model.json (test_metrics; for a",
        "dev set with road patches or vehicle boxes: devset_real, with the labels' SHA-256;",
        "with --ood-against: ood_eval)."
      })
  boolean writeCard;

  /** This command as typed, for the card. */
  private String command() {
    return "./hydrastream eval "
        + String.join(" ", spec.commandLine().getParseResult().originalArgs())
            .replaceFirst("^eval ", "");
  }

  /** Merges the headline metrics of {@code r} into the model card. */
  private void recordInCard(ModelEvaluator.Result r, String s) throws java.io.IOException {
    Path card = model.resolve(ModelCard.FILE);
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(card.toFile());
    var m = root.putObject("test_metrics");
    m.put("command", command());
    m.put("data", data.toString());
    m.put("split", s);
    m.put("frames", r.frames());
    MetricSet.Report metrics = r.metrics();
    if (metrics.classification() != null) {
      metrics.classification().forEach((k, v) -> m.put(k + "_accuracy", v.accuracy()));
    }
    if (metrics.detection() != null) {
      MetricSet.DetectionReport d = metrics.detection();
      m.put("map50", d.map50());
      m.put("map50_min_instances", d.map50MinInstances());
      m.put("min_instances", d.minInstances());
      m.put("min_gt_height", d.minGtHeight());
      for (MetricSet.ClassAp c : d.classes()) {
        m.put("ap50_" + c.category().replace(' ', '_'), c.ap50());
      }
    }
    if (metrics.segmentation() != null) {
      m.put("drivable_miou", metrics.segmentation().drivableMiou());
      m.put("lane_iou", metrics.segmentation().laneIou());
      m.put("segmentation_grid", metrics.segmentation().grid());
    }
    java.nio.file.Files.writeString(card, Json.MAPPER.writeValueAsString(root) + "\n");
  }

  /**
   * Merges the real dev set's figures of {@code r} into the model card under {@code devset_real},
   * with this command and the labels file's SHA-256 (the rest of the card, and so its {@code
   * saved_model_sha256} of the graph, stays as it is).
   */
  private void recordDevSetInCard(ImageSetEvaluator.Result r) throws java.io.IOException {
    ImageSetEvaluator.DevReport d = r.dev();
    Path card = model.resolve(ModelCard.FILE);
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(card.toFile());
    var m = root.putObject("devset_real");
    m.put("command", command());
    m.put("data", data.toString());
    m.put("labels_sha256", ModelCard.sha256(data));
    m.put("frames", r.frames());
    d.accuracy()
        .forEach(
            (head, ratio) -> {
              m.put(head, ratio);
              m.put(head + "_accuracy", ratio(ratio));
            });
    if (d.roadPatchDrivable() != null) {
      m.put("road_patch_drivable", d.roadPatchDrivable());
      m.put("road_patch_drivable_share", ratio(d.roadPatchDrivable()));
    }
    if (d.vehicles() != null) {
      m.put("vehicle_recall", d.vehicles().recall());
      m.put("vehicle_precision", d.vehicles().precision());
      m.put("vehicles_matched", d.vehicles().matched());
      m.put("vehicles_labelled", d.vehicles().labelled());
      m.put("vehicle_detections", d.vehicles().detections());
    }
    m.put("road_iou", d.roadIou());
    m.put("road_recall", d.roadRecall());
    m.put("drivable_precision", d.drivablePrecision());
    m.put("summary", d.summary());
    java.nio.file.Files.writeString(card, Json.MAPPER.writeValueAsString(root) + "\n");
  }

  /** {@code p} with only the detections at or above {@code floor} (what the overlay shows). */
  private static Perception aboveFloor(Perception p, double floor) {
    if (p.detections() == null || p.detections().stream().allMatch(d -> d.score() >= floor)) {
      return p;
    }
    return new Perception(
        p.weather(),
        p.timeofday(),
        p.scene(),
        p.detections().stream().filter(d -> d.score() >= floor).toList(),
        p.segmentation(),
        p.model(),
        p.oodScore());
  }

  /** {@code right/n} as a number (0 for n = 0). */
  private static double ratio(String rightOfN) {
    String[] p = rightOfN.split("/");
    int n = Integer.parseInt(p[1]);
    return n == 0 ? 0 : Integer.parseInt(p[0]) / (double) n;
  }

  /** A folder of unlabelled images, or a dev-set file: see {@link ImageSetEvaluator}. */
  private int images(boolean devSet) throws Exception {
    if (model == null || ceiling != null || writeCard && !devSet || split != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "a folder of images or a dev set takes --model (and --overlays, --min-score, --json;"
              + " a dev set also --write-card); --ceiling and --split need a labelled dataset");
    }
    List<ImageSetEvaluator.DevImage> dev = null;
    List<Path> files;
    if (devSet) {
      try {
        dev = ImageSetEvaluator.readDevSet(data);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      files = dev.stream().map(ImageSetEvaluator.DevImage::file).toList();
    } else {
      files = ImageSetEvaluator.images(data);
    }
    for (Path f : files) {
      if (!java.nio.file.Files.isRegularFile(f)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), data + ": image " + f + " does not exist");
      }
    }
    if (overlays != null) {
      java.nio.file.Files.createDirectories(overlays);
    }
    Map<Path, int[][]> roads = new java.util.HashMap<>();
    if (dev != null) {
      dev.forEach(d -> roads.put(d.file(), d.road()));
    }
    // serving's threshold for what counts as a detection in the class mix
    double floor =
        spec.commandLine().getParseResult().hasMatchedOption("--min-score") ? minScore : 0.3;
    if (writeCard && dev.stream().allMatch(d -> d.roadPatch() == null && d.vehicles() == null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--write-card with a dev set records its road patch and vehicle figures (devset_real);"
              + " "
              + data
              + " labels neither road_patch nor cars/trucks_buses");
    }
    ImageSetEvaluator.Result r;
    // the vehicle figures count detections down to the service's 0.3 whatever --min-score says
    try (PerceptionModel m = load(model, Math.min(floor, RealSetScores.MIN_SCORE))) {
      r =
          ImageSetEvaluator.evaluate(
              m,
              data.toString(),
              files,
              dev,
              floor,
              (file, p) -> {
                if (overlays != null) {
                  String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                  try {
                    Overlay.draw(
                        file,
                        aboveFloor(p, floor),
                        overlays.resolve(name + ".png"),
                        roads.get(file));
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              });
    }
    if (writeCard) {
      recordDevSetInCard(r);
    }
    json.print(r);
    return 0;
  }

  private int ceiling(Bdd100kDataset ds, String s) throws java.io.IOException {
    for (double px : ceiling) {
      if (!(px >= 0) || Double.isInfinite(px)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--ceiling: each PX must be a finite number >= 0, got " + px);
      }
    }
    if (writeCard) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--write-card records a model's metrics; it does not apply to --ceiling");
    }
    int w;
    int h;
    if (model != null) {
      if (input != null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give --model or --input for --ceiling, not both");
      }
      dev.hydrastream.spec.ModelCard card = dev.hydrastream.spec.ModelCard.read(model);
      w = card.inputWidth();
      h = card.inputHeight();
    } else {
      int[] hw =
          Dimensions.parse(
              spec, "--input", input != null ? input : "224x384", "HEIGHTxWIDTH", 1, 8192);
      h = hw[0];
      w = hw[1];
    }
    json.print(DetectionCeiling.evaluate(ds, s, w, h, ceiling, minInstances));
    return 0;
  }

  /** {@code --tracking}: the tracker on a box_track_20 dataset. */
  private int tracking() throws java.io.IOException {
    if (ceiling != null || writeCard || input != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--ceiling, --write-card and --input do not apply to --tracking");
    }
    if (!detections.equals("gt") && !detections.equals("model")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--detections must be gt or model, got '" + detections + "'");
    }
    Settings service = Settings.of(settings.values);
    TrackingDataset ds = Bdd100kTrackReader.open(data);
    String s =
        split != null ? split : ds.splits().containsKey("val") ? "val" : ds.splits().firstKey();
    if (!ds.splits().containsKey(s)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--split " + s + " is not a split of " + data + " (has " + ds.splits().keySet() + ")");
    }
    double trackerMin = service.getDouble(Settings.MODEL_MIN_SCORE);
    TrackingEvaluator.Options opts =
        new TrackingEvaluator.Options(TrackerConfig.of(service), fps, batch, trackerMin);
    ProgressLine line = ProgressLine.onStderr(spec.commandLine().getErr());
    int total = ds.frameCount(s);
    java.util.function.IntConsumer progress =
        n -> {
          if (!json.enabled()) {
            line.show("tracked " + n + "/" + total);
          }
        };
    TrackingEvaluator.Result r;
    if (detections.equals("gt")) {
      r = TrackingEvaluator.evaluate(ds, s, null, opts, progress);
    } else {
      Path dir = model != null ? model : Path.of(ModelOption.DEFAULT);
      // the mAP counts every detection down to --min-score; the tracker gets the published ones
      try (PerceptionModel m = load(dir, Math.min(minScore, trackerMin))) {
        r = TrackingEvaluator.evaluate(ds, s, m, opts, progress);
      }
    }
    line.end();
    json.print(r);
    return 0;
  }

  /** Options of the other modes, refused with {@code --ood-against}. */
  private static final List<String> NOT_FOR_OOD =
      List.of(
          "--tracking",
          "--ceiling",
          "--overlays",
          "--input",
          "--detections",
          "--fps",
          "--min-score",
          "--min-gt-height",
          "--min-instances");

  /** {@code --ood-against}: the OOD score on the synthetic split against real frames. */
  private int ood() throws java.io.IOException {
    var parsed = spec.commandLine().getParseResult();
    for (String o : NOT_FOR_OOD) {
      if (parsed.hasMatchedOption(o)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), o + " does not apply to --ood-against");
      }
    }
    if (model == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--ood-against needs --model (a model with an ood output)");
    }
    if (oodMaxFrames < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--ood-max-frames must be at least 1, got " + oodMaxFrames);
    }
    if (batch < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--batch must be at least 1, got " + batch);
    }
    // the card alone says whether the model has the output: refuse before reading any frames
    ModelCard card;
    try {
      card = ModelCard.read(model);
      OodEvaluator.requireOod(model, card);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    OodEvaluator.Source real = oodSource();
    if (java.nio.file.Files.isRegularFile(data)
        || !java.nio.file.Files.isDirectory(data.resolve("labels"))
            && ImageSetEvaluator.isImageFolder(data)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--ood-against compares with the synthetic dataset given as --data (a BDD100K-layout"
              + " directory), not with "
              + data);
    }
    Bdd100kDataset ds = Bdd100kReader.open(data);
    String s = labelledSplit(ds);
    List<Path> all = ds.samples(s).stream().map(dev.hydrastream.data.Sample::image).toList();
    if (all.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "split " + s + " of " + data + " has no frames");
    }
    OodEvaluator.Source synthetic =
        new OodEvaluator.Source(
            data.toString(), s, OodEvaluator.spread(all, oodMaxFrames), all.size());
    ProgressLine line = ProgressLine.onStderr(spec.commandLine().getErr());
    int total = synthetic.images().size() + real.images().size();
    OodEvaluator.Result r;
    try (PerceptionModel m = load(model, minScore)) {
      r =
          OodEvaluator.evaluate(
              m,
              synthetic,
              real,
              batch,
              n -> {
                if (!json.enabled()) {
                  line.show("scored " + n + "/" + total);
                }
              });
    }
    line.end();
    if (writeCard) {
      recordOodInCard(r);
    }
    json.print(r);
    return 0;
  }

  /** The frames of {@code --ood-against}: a dev-set file's images or a folder's. */
  private OodEvaluator.Source oodSource() throws java.io.IOException {
    List<Path> files;
    if (java.nio.file.Files.isRegularFile(oodAgainst) && oodAgainst.toString().endsWith(".json")) {
      try {
        files =
            ImageSetEvaluator.readDevSet(oodAgainst).stream()
                .map(ImageSetEvaluator.DevImage::file)
                .toList();
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    } else if (ImageSetEvaluator.isImageFolder(oodAgainst)) {
      files = ImageSetEvaluator.images(oodAgainst);
    } else {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--ood-against "
              + oodAgainst
              + ": expected a dev set file (.json) or a folder with JPEG/PNG images");
    }
    for (Path f : files) {
      if (!java.nio.file.Files.isRegularFile(f)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), oodAgainst + ": image " + f + " does not exist");
      }
    }
    return new OodEvaluator.Source(oodAgainst.toString(), null, files, files.size());
  }

  /**
   * Merges {@code r} into the model card under {@code ood_eval}, with this command and both data
   * sources (a dev set file with its SHA-256); the rest of the card, and so its {@code
   * saved_model_sha256} of the graph, stays as it is.
   */
  private void recordOodInCard(OodEvaluator.Result r) throws java.io.IOException {
    Path card = model.resolve(ModelCard.FILE);
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(card.toFile());
    var m = root.putObject("ood_eval");
    m.put("command", command());
    m.put("data", data.toString());
    m.put("split", r.sides().get(OodEvaluator.SYNTHETIC).split());
    m.put("against", oodAgainst.toString());
    if (java.nio.file.Files.isRegularFile(oodAgainst)) {
      m.put("against_sha256", ModelCard.sha256(oodAgainst));
    }
    m.put("threshold", r.threshold());
    m.put("auroc", r.auroc());
    r.sides()
        .forEach(
            (name, side) -> {
              var o = m.putObject(name);
              o.put("frames", side.frames());
              o.put("available", side.available());
              o.put("median_score", side.medianScore());
              o.put("share_above_threshold", side.shareAboveThreshold());
            });
    java.nio.file.Files.writeString(card, Json.MAPPER.writeValueAsString(root) + "\n");
  }

  @Override
  public Integer call() throws Exception {
    if (oodAgainst != null) {
      return ood();
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--ood-max-frames")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--ood-max-frames applies to --ood-against");
    }
    if (tracking) {
      return tracking();
    }
    boolean devSet = java.nio.file.Files.isRegularFile(data) && data.toString().endsWith(".json");
    if (devSet
        || !java.nio.file.Files.isDirectory(data.resolve("labels"))
            && ImageSetEvaluator.isImageFolder(data)) {
      return images(devSet);
    }
    if (overlays != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--overlays applies to a folder of images or a dev set");
    }
    Bdd100kDataset ds = Bdd100kReader.open(data);
    String s = labelledSplit(ds);
    if (ceiling != null) {
      return ceiling(ds, s);
    }
    if (model == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--model is required (or --ceiling PX,... to score the size-limited oracle)");
    }
    if (input != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--input only applies to --ceiling; a model's input size comes from its card");
    }
    ProgressLine progress = ProgressLine.onStderr(spec.commandLine().getErr());
    int total = ds.samples(s).size();
    ModelEvaluator.Result doc;
    try (PerceptionModel m = load(model, minScore)) {
      doc =
          ModelEvaluator.evaluate(
              m,
              ds,
              s,
              new ModelEvaluator.Options(batch, minGtHeight, minInstances),
              n -> {
                if (!json.enabled()) {
                  progress.show("evaluated " + n + "/" + total);
                }
              });
    }
    if (writeCard) {
      recordInCard(doc, s);
    }
    progress.end();
    json.print(doc);
    return 0;
  }

  /** Loads {@code dir} through the serving path, keeping detections from {@code minScore}. */
  private static PerceptionModel load(Path dir, double minScore) {
    return PerceptionModel.load(
        dir, PerceptionModel.Options.builder().optMinScore(minScore).build());
  }

  /**
   * {@code --split}, by default "test" where there is one, else "val"; refused when not labelled.
   */
  private String labelledSplit(Bdd100kDataset ds) {
    String s = split != null ? split : ds.splits().contains("test") ? "test" : "val";
    if (!ds.splits().contains(s)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--split " + s + " is not a labelled split of " + data + " (has " + ds.splits() + ")");
    }
    return s;
  }
}
