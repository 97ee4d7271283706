package dev.hydrastream.cli;

import dev.hydrastream.data.SyntheticDataset;
import dev.hydrastream.sim.SimulatedCamera;
import dev.hydrastream.sim.VideoDataset;
import dev.hydrastream.spec.Head;
import dev.hydrastream.util.ProgressLine;
import dev.hydrastream.util.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Renders a synthetic driving dataset in BDD100K layout. */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description = {
      "Render synthetic driving frames with BDD100K-format labels, drivable and lane masks.",
      "With --video, render the simulator's video (camera 0 of simulate --seed S) with the",
      "identity of every object across frames, in BDD100K's box_track_20 format.",
      "The same --seed always gives the same frames and labels."
    })
final class DatasetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Number of frames.")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--size",
      defaultValue = "1280x720",
      description = "Frame size WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--split",
      description = "Put every frame in this split (e.g. test); default: train/val/test 80/10/10.")
  String split;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Rendering threads (default: number of cores).")
  Integer threads;

  @Option(
      names = "--overwrite",
      description =
          "Delete what --out holds before rendering (without it, a non-empty --out is refused:"
              + " old frames would mix with the new split file).")
  boolean overwrite;

  @Option(
      names = "--plain",
      description = {
        "Render without domain randomization (textures, colours, sky and sun, clutter, extra",
        "objects of rare classes, hood or dashboard, lens and sensor), as datasets before it were."
      })
  boolean plain;

  @Option(
      names = "--video",
      description = {
        "Render video for tracking: one video per 20 s clip, labels with stable ids in",
        "labels/box_track_20/SPLIT/VIDEO.json, frames in images/track/SPLIT/VIDEO/ (split: val",
        "unless --split)."
      })
  boolean video;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description = "With --video: frames per second (default: ${DEFAULT-VALUE}, as simulate).")
  double fps;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    if (count <= 0) {
      throw new ParameterException(spec.commandLine(), "--count must be positive, got " + count);
    }
    int[] wh = Dimensions.parse(spec, "--size", size, "WIDTHxHEIGHT", 64, 8192);
    if (split != null && !split.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new ParameterException(
          spec.commandLine(), "--split must be a simple name, got '" + split + "'");
    }
    if (video && (!(fps > 0) || fps > 1000)) {
      throw new ParameterException(
          spec.commandLine(), "--fps must be within (0, 1000], got " + fps);
    }
    prepareOut();
    int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (video) {
      return video(wh, workers);
    }
    SyntheticDataset dataset = new SyntheticDataset(out, seed, wh[0], wh[1], !plain);
    ProgressLine progress = ProgressLine.onStderr(spec.commandLine().getErr());
    int step = Math.max(1, count / 20);
    SyntheticDataset.Summary s =
        dataset.generate(
            count,
            workers,
            split,
            SyntheticDataset.DEFAULT_SPLITS,
            done -> {
              if (!json.enabled() && (done % step == 0 || done == count)) {
                progress.show(String.format("rendered %d/%d", done, count));
              }
            });
    progress.end();
    if (json.enabled()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("out", out.toAbsolutePath().toString());
      doc.put("seed", seed);
      doc.put("size", wh[0] + "x" + wh[1]);
      doc.put("summary", s);
      doc.put("framesPerSecond", s.framesPerSecond());
      json.print(doc);
    } else {
      PrintWriter o = spec.commandLine().getOut();
      o.printf("wrote %d frames (%s) to %s%n", s.count(), s.splits(), out.toAbsolutePath());
      o.printf(
          "rendering speed: %.1f frames/s at %dx%d with %d threads (%.1f s)%n",
          s.framesPerSecond(), wh[0], wh[1], workers, s.seconds());
      table(o, "scene", s.scene(), s.count());
      table(o, "weather", s.weather(), s.count());
      table(o, "timeofday", s.timeofday(), s.count());
      int boxes = s.categories().values().stream().mapToInt(Integer::intValue).sum();
      table(o, "detection boxes", s.categories(), boxes);
      o.printf("occluded: %d  truncated: %d  (of %d boxes)%n", s.occluded(), s.truncated(), boxes);
      List<String> missing = missing(s);
      if (!missing.isEmpty()) {
        o.println("absent from this run: " + String.join(", ", missing));
      }
      o.flush();
    }
    return 0;
  }

  /** Refuses a non-empty {@code --out}, or empties it with {@code --overwrite}. */
  private void prepareOut() throws IOException {
    if (Files.isRegularFile(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is a file");
    }
    boolean empty;
    try (Stream<Path> entries = Files.isDirectory(out) ? Files.list(out) : Stream.empty()) {
      empty = entries.findAny().isEmpty();
    }
    if (empty) {
      return;
    }
    if (!overwrite) {
      throw new ParameterException(
          spec.commandLine(),
          "--out "
              + out
              + " is not empty; choose an empty directory, or add --overwrite to delete what it"
              + " holds first");
    }
    Trees.delete(out);
  }

  private int video(int[] wh, int workers) throws Exception {
    ProgressLine progress = ProgressLine.onStderr(spec.commandLine().getErr());
    VideoDataset.Summary s =
        VideoDataset.write(
            out,
            count,
            new VideoDataset.Options(
                seed,
                wh[0],
                wh[1],
                fps,
                SimulatedCamera.DEFAULT_CLIP_SECONDS,
                split != null ? split : "val",
                workers),
            done -> {
              if (!json.enabled() && (done % 50 == 0 || done == count)) {
                progress.show(String.format("rendered %d/%d", done, count));
              }
            });
    progress.end();
    json.print(s);
    return 0;
  }

  private static List<String> missing(SyntheticDataset.Summary s) {
    java.util.ArrayList<String> m = new java.util.ArrayList<>();
    s.scene()
        .forEach(
            (k, v) -> {
              if (v == 0) m.add("scene " + k);
            });
    s.weather()
        .forEach(
            (k, v) -> {
              if (v == 0) m.add("weather " + k);
            });
    s.timeofday()
        .forEach(
            (k, v) -> {
              if (v == 0) m.add("timeofday " + k);
            });
    for (String c : Head.DETECTION.labels()) {
      if (s.categories().getOrDefault(c, 0) == 0) {
        m.add("class " + c);
      }
    }
    return m;
  }

  private static void table(PrintWriter o, String title, Map<String, Integer> counts, int total) {
    o.printf("%s:%n", title);
    counts.forEach(
        (k, v) -> o.printf("  %-16s %7d  %5.1f%%%n", k, v, 100.0 * v / Math.max(1, total)));
  }
}
