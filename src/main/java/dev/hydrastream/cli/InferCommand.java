package dev.hydrastream.cli;

import ai.djl.inference.Predictor;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Perception;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a model on image files and prints every head; optionally draws an overlay. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = "Run a model on JPEG/PNG images through the serving path (DJL + TensorFlow).")
final class InferCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

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
    PerceptionModel.Options opts = new PerceptionModel.Options(null, 0, 0, minScore);
    List<Map<String, Object>> docs = new ArrayList<>();
    try (PerceptionModel m = PerceptionModel.load(model.dir(), opts);
        Predictor<FrameDecoder.Decoded, Perception> predictor = m.newPredictor()) {
      List<FrameDecoder.Decoded> frames = new ArrayList<>();
      for (Path p : images) {
        frames.add(m.decoder().decodeFile(p));
      }
      List<Perception> results = m.predict(predictor, frames);
      for (int i = 0; i < results.size(); i++) {
        docs.add(toMap(images.get(i), results.get(i)));
      }
      if (overlay != null) {
        Overlay.draw(images.get(0), results.get(0), overlay);
      }
    }
    if (json.enabled()) {
      json.print(docs.size() == 1 ? docs.get(0) : docs);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      for (Map<String, Object> d : docs) {
        out.println(d.get("image"));
        for (String k : List.of("weather", "timeofday", "scene")) {
          if (d.get(k) instanceof Map<?, ?> a) {
            out.printf("  %-10s %s (%.2f)%n", k, a.get("label"), (Double) a.get("probability"));
          }
        }
        if (d.get("detections") instanceof List<?> dets) {
          out.printf("  detections %d%n", dets.size());
          for (Object o : dets) {
            Map<?, ?> det = (Map<?, ?>) o;
            out.printf(
                "    %-13s %.2f %s%n",
                det.get("category"), (Double) det.get("score"), det.get("box2d"));
          }
        }
        if (d.get("segmentation") instanceof Map<?, ?> seg) {
          out.printf("  segmentation areas %s%n", seg.get("areas"));
        }
      }
      out.flush();
    }
    return 0;
  }

  static Map<String, Object> toMap(Path image, Perception r) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("image", image.toString());
    d.put("model", r.model());
    if (r.weather() != null) {
      d.put("weather", attr(r.weather()));
    }
    if (r.timeofday() != null) {
      d.put("timeofday", attr(r.timeofday()));
    }
    if (r.scene() != null) {
      d.put("scene", attr(r.scene()));
    }
    if (r.detections() != null) {
      List<Map<String, Object>> dets = new ArrayList<>();
      for (DetectedObject det : r.detections()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("category", det.category());
        m.put("score", det.score());
        Map<String, Double> b = new LinkedHashMap<>();
        b.put("x1", round(det.box().x1()));
        b.put("y1", round(det.box().y1()));
        b.put("x2", round(det.box().x2()));
        b.put("y2", round(det.box().y2()));
        m.put("box2d", b);
        dets.add(m);
      }
      d.put("detections", dets);
    }
    if (r.segmentation() != null) {
      Map<String, Object> seg = new LinkedHashMap<>();
      double[] areas = r.segmentation().classAreas();
      Map<String, Double> a = new LinkedHashMap<>();
      for (int i = 0; i < areas.length; i++) {
        a.put(Head.SEGMENTATION.labels().get(i), round(areas[i] * 1000) / 1000);
      }
      seg.put("grid", r.segmentation().width() + "x" + r.segmentation().height());
      seg.put("areas", a);
      d.put("segmentation", seg);
    }
    return d;
  }

  private static Map<String, Object> attr(Perception.Attribute a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", a.label());
    m.put("probability", a.probability());
    m.put("probabilities", a.probabilities());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
