package dev.hydrastream.cli;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.schema.AttributePrediction;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.JsonCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a model on image files and prints, per image, the record the service publishes on {@code
 * perception.frames}: with {@code --json} exactly those records in their JSON form ({@code
 * output.format=json}), as one array; otherwise a table of the heads and one of the detections.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Run a model on JPEG/PNG images through the serving path (DJL + TensorFlow).",
      "--json prints one JSON array with, per image, the record the service publishes on"
          + " perception.frames (camera_id: the path, frame_seq: its position, capture_ts: when"
          + " it was read)."
    })
final class InferCommand implements Callable<Integer> {

  @Mixin ModelOption model;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG or PNG files.")
  List<Path> images;

  @Mixin JsonOption json;

  @Option(
      names = "--overlay",
      paramLabel = "OUT.png",
      description = "Draw boxes, labels and the segmentation over the (first) image.")
  Path overlay;

  @Option(
      names = "--min-score",
      defaultValue = "0.3",
      description = "Drop detections below this score (default: ${DEFAULT-VALUE}).")
  double minScore;

  @Override
  public Integer call() throws Exception {
    PerceptionModel.Options opts = PerceptionModel.Options.builder().optMinScore(minScore).build();
    List<PerceptionFrame> records = new ArrayList<>();
    try (PerceptionModel m = PerceptionModel.load(model.dir(), opts);
        Predictor<FrameDecoder.Decoded, Perception> predictor = m.newPredictor()) {
      // Every file is read and checked before the model runs: a bad one fails naming it.
      List<FrameDecoder.Decoded> frames = new ArrayList<>();
      List<Long> readAt = new ArrayList<>();
      for (Path p : images) {
        readAt.add(System.currentTimeMillis());
        frames.add(m.decoder().decodeFile(p));
      }
      List<Perception> results = m.predict(predictor, frames);
      long done = System.currentTimeMillis();
      for (int i = 0; i < results.size(); i++) {
        FrameDecoder.Decoded f = frames.get(i);
        FrameMeta meta =
            FrameMeta.of(
                images.get(i).toString(),
                null,
                i,
                readAt.get(i),
                f.letterbox().srcWidth(),
                f.letterbox().srcHeight());
        records.add(ResultRecords.fused(meta, results.get(i), done - readAt.get(i)));
      }
      if (overlay != null) {
        Overlay.draw(images.get(0), results.get(0), overlay);
      }
    }
    if (json.enabled()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      records.forEach(r -> out.add(JsonCodec.toTree(r)));
      json.print(out);
    } else {
      json.print(Table.of(records));
    }
    return 0;
  }

  /** The text view: one row per image with its heads, one row per detection. */
  record Table(List<ImageRow> images, List<DetectionRow> detections) {

    static Table of(List<PerceptionFrame> records) {
      List<ImageRow> rows = new ArrayList<>();
      List<DetectionRow> dets = new ArrayList<>();
      for (PerceptionFrame r : records) {
        String image = r.getCameraId();
        Map<String, Float> areas = new LinkedHashMap<>();
        if (r.getSegmentation() != null) {
          r.getSegmentation().getClassAreas().forEach((k, v) -> areas.put(k.toString(), v));
        }
        rows.add(
            new ImageRow(
                image,
                r.getFrameWidth() + "x" + r.getFrameHeight(),
                label(r.getWeather()),
                label(r.getTimeofday()),
                label(r.getScene()),
                r.getDetections().size(),
                r.getLatencyMs(),
                areas.isEmpty() ? null : areas));
        for (Detection d : r.getDetections()) {
          dets.add(
              new DetectionRow(
                  image,
                  d.getCategory().toString(),
                  d.getScore(),
                  Math.round(d.getBox().getX1()),
                  Math.round(d.getBox().getY1()),
                  Math.round(d.getBox().getX2()),
                  Math.round(d.getBox().getY2())));
        }
      }
      return new Table(rows, dets);
    }

    /** {@code clear 0.96}, or null without the head. */
    private static String label(AttributePrediction a) {
      return a == null ? null : String.format(Locale.ROOT, "%s %.2f", a.getLabel(), a.getScore());
    }
  }

  /** One image: its size, each attribute head's label and score, detections, class areas. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ImageRow(
      String image,
      String size,
      String weather,
      String timeofday,
      String scene,
      int detections,
      double latencyMs,
      Map<String, Float> classAreas) {}

  /** One detection, box in frame pixels. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record DetectionRow(
      String image, String category, float score, long x1, long y1, long x2, long y2) {}
}
