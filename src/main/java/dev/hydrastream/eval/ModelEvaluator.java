package dev.hydrastream.eval;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import dev.hydrastream.data.Bdd100kDataset;
import dev.hydrastream.data.DatasetException;
import dev.hydrastream.data.MaskGrid;
import dev.hydrastream.data.Sample;
import dev.hydrastream.data.Taxonomy;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.PerceptionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Evaluates a served model on a labelled split through the same path as production: OpenCV
 * decode and letterbox, one batched DJL call, outputs mapped by name, boxes in frame pixels.
 * Reports attribute accuracies, per-class AP@0.5 with instance counts and mAP, per-class IoU on
 * the model's segmentation grid, drivable mIoU (direct, alternative) and lane IoU.
 */
public final class ModelEvaluator {

  /**
   * Evaluation settings.
   *
   * @param batch frames per model call
   * @param minGtHeight ground-truth boxes lower than this (frame pixels) are ignored regions
   * @param minInstances classes with fewer test instances are left out of the headline mAP
   */
  public record Options(int batch, double minGtHeight, int minInstances) {
    public static Options defaults() {
      return new Options(8, 0, 50);
    }
  }

  private ModelEvaluator() {}

  /** Evaluates {@code model} on {@code split} of {@code ds}; returns one JSON-ready document. */
  public static Map<String, Object> evaluate(PerceptionModel model, Bdd100kDataset ds, String split,
      Options opts, IntConsumer progress) {
    List<Sample> samples = ds.samples(split);
    ClassificationEvaluator weather = new ClassificationEvaluator();
    ClassificationEvaluator tod = new ClassificationEvaluator();
    ClassificationEvaluator scene = new ClassificationEvaluator();
    DetectionEvaluator det = new DetectionEvaluator(Taxonomy.DETECTION, 0.5, opts.minGtHeight());
    SegmentationEvaluator seg = new SegmentationEvaluator(Taxonomy.SEGMENTATION, MaskGrid.IGNORE);
    int[] grid = new int[2];
    ExecutorService decoders = Executors.newFixedThreadPool(
        Math.max(1, Runtime.getRuntime().availableProcessors()));
    long started = System.nanoTime();
    long modelNanos = 0;
    try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
      for (int start = 0; start < samples.size(); start += opts.batch()) {
        List<Sample> batch = samples.subList(start, Math.min(samples.size(), start + opts.batch()));
        List<Future<FrameDecoder.Decoded>> futures = new ArrayList<>();
        for (Sample s : batch) {
          futures.add(decoders.submit(() -> decode(model.decoder(), s)));
        }
        List<FrameDecoder.Decoded> decoded = new ArrayList<>();
        for (Future<FrameDecoder.Decoded> f : futures) {
          decoded.add(get(f));
        }
        long t0 = System.nanoTime();
        List<PerceptionResult> results = model.predict(predictor, decoded);
        modelNanos += System.nanoTime() - t0;
        for (int i = 0; i < batch.size(); i++) {
          Sample s = batch.get(i);
          PerceptionResult r = results.get(i);
          add(weather, s.labels().weather(), r.weather());
          add(tod, s.labels().timeofday(), r.timeofday());
          add(scene, s.labels().scene(), r.scene());
          if (r.detections() != null) {
            det.add(s.labels().labels(), r.detections());
          }
          if (r.segmentation() != null && s.drivableMask() != null) {
            PerceptionResult.Segmentation sg = r.segmentation();
            grid[0] = sg.width();
            grid[1] = sg.height();
            byte[] target = MaskGrid.target(s, sg.letterbox(), sg.letterbox().srcWidth(),
                sg.letterbox().srcHeight(), sg.width(),
                sg.height(), sg.letterbox().dstWidth() / (double) sg.width());
            int[] pred = new int[target.length];
            int[] truth = new int[target.length];
            for (int c = 0; c < target.length; c++) {
              pred[c] = sg.mask()[c] & 255;
              truth[c] = target[c] & 255;
            }
            seg.add(pred, truth);
          }
        }
        progress.accept(start + batch.size());
      }
    } finally {
      decoders.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("model", model.card().id());
    doc.put("data", ds.root().toString());
    doc.put("split", split);
    doc.put("frames", samples.size());
    doc.put("seconds", Math.round(seconds * 10) / 10.0);
    doc.put("model_frames_per_second", samples.size() / Math.max(1e-9, modelNanos / 1e9));
    Map<String, Object> cls = new LinkedHashMap<>();
    putAcc(cls, "weather", weather, model.card().has("weather"));
    putAcc(cls, "timeofday", tod, model.card().has("timeofday"));
    putAcc(cls, "scene", scene, model.card().has("scene"));
    if (!cls.isEmpty()) {
      doc.put("classification", cls);
    }
    if (model.card().has("detection")) {
      DetectionEvaluator.Result r = det.evaluate();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("iou_threshold", r.iouThreshold());
      d.put("min_gt_height", r.minGtHeight());
      d.put("map50", r.mAP());
      d.put("min_instances", opts.minInstances());
      d.put("map50_min_instances", r.mAP(opts.minInstances()));
      List<Map<String, Object>> classes = new ArrayList<>();
      for (DetectionEvaluator.ClassResult c : r.classes()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("category", c.category());
        m.put("ap50", c.ap());
        m.put("instances", c.instances());
        m.put("ignored", c.ignoredInstances());
        m.put("detections", c.detections());
        classes.add(m);
      }
      d.put("classes", classes);
      doc.put("detection", d);
    }
    if (model.card().has("segmentation")) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("grid", grid[0] + "x" + grid[1]);
      Map<String, Double> iou = new LinkedHashMap<>();
      for (int c = 0; c < Taxonomy.SEGMENTATION.size(); c++) {
        iou.put(Taxonomy.SEGMENTATION.get(c), seg.iou(c));
      }
      s.put("iou", iou);
      s.put("drivable_miou", seg.meanIoU(1, 2));
      s.put("lane_iou", seg.iou(3));
      s.put("pixel_accuracy", seg.pixelAccuracy());
      doc.put("segmentation", s);
    }
    return doc;
  }

  private static FrameDecoder.Decoded decode(FrameDecoder decoder, Sample s) {
    try {
      return decoder.decodeFile(s.image());
    } catch (IOException e) {
      throw new UncheckedIOException(s.image() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(e.getMessage());
    }
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void add(ClassificationEvaluator e, String truth, PerceptionResult.Attribute a) {
    if (a != null) {
      e.add(truth, a.label());
    }
  }

  private static void putAcc(Map<String, Object> out, String name, ClassificationEvaluator e,
      boolean present) {
    if (!present) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", e.accuracy());
    m.put("count", e.count());
    m.put("confusion", e.confusion());
    out.put(name, m);
  }
}
