package dev.hydrastream.tracking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The detections of one frame the tracker uses: checked, scored at least {@code lowScore}, at most
 * {@code maxDetections} of them (the highest scores), best first. What is dropped is counted.
 */
final class Detections {

  private final double[][] boxes;
  private final int[] classIds;
  private final float[] scores;

  private Detections(double[][] boxes, int[] classIds, float[] scores) {
    this.boxes = boxes;
    this.classIds = classIds;
    this.scores = scores;
  }

  static Detections select(
      List<Observation> observations,
      TrackerConfig config,
      Map<String, Integer> classIds,
      Map<DropReason, Integer> dropped) {
    List<Observation> usable = new ArrayList<>(Math.min(observations.size(), 1024));
    for (Observation o : observations) {
      if (o == null) {
        dropped.merge(DropReason.UNKNOWN_CATEGORY, 1, Integer::sum);
        continue;
      }
      if (!Double.isFinite(o.score())
          || !Double.isFinite(o.x1())
          || !Double.isFinite(o.y1())
          || !Double.isFinite(o.x2())
          || !Double.isFinite(o.y2())) {
        dropped.merge(DropReason.NON_FINITE, 1, Integer::sum);
      } else if (o.x2() < o.x1() || o.y2() < o.y1()) {
        dropped.merge(DropReason.INVERTED_BOX, 1, Integer::sum);
      } else if (o.category() == null || !classIds.containsKey(o.category())) {
        dropped.merge(DropReason.UNKNOWN_CATEGORY, 1, Integer::sum);
      } else if (o.score() >= config.lowScore()) {
        usable.add(o);
      }
    }
    // stable: equal scores keep their input order
    usable.sort(Comparator.comparingDouble(Observation::score).reversed());
    int n = Math.min(usable.size(), config.maxDetections());
    if (usable.size() > n) {
      dropped.merge(DropReason.DETECTION_LIMIT, usable.size() - n, Integer::sum);
    }
    double[][] boxes = new double[n][];
    int[] ids = new int[n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      Observation o = usable.get(i);
      boxes[i] = new double[] {o.x1(), o.y1(), o.x2(), o.y2()};
      ids[i] = classIds.get(o.category());
      scores[i] = (float) o.score();
    }
    return new Detections(boxes, ids, scores);
  }

  int size() {
    return scores.length;
  }

  double[] box(int i) {
    return boxes[i];
  }

  int classId(int i) {
    return classIds[i];
  }

  float score(int i) {
    return scores[i];
  }

  /** Indices whose score passes {@code p}, best first. */
  List<Integer> indices(DoublePredicate p) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (p.test(scores[i])) {
        out.add(i);
      }
    }
    return out;
  }
}
