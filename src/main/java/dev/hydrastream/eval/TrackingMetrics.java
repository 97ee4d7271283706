package dev.hydrastream.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.spec.Box;
import dev.hydrastream.util.Assignment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-object tracking metrics over sequences of frames, as TrackEval defines them (Luiten et al.,
 * the reference implementation of the MOT and BDD100K benchmarks): CLEAR MOT (MOTA, MOTP, ID
 * switches, fragmentations, mostly tracked/lost; Bernardin and Stiefelhagen 2008), identity (IDF1,
 * IDP, IDR; Ristani et al. 2016) and HOTA (DetA, AssA; Luiten et al. 2021).
 *
 * <p>Similarity is box IoU ({@link Box#iou}, inclusive pixels), and 0 between different classes, so
 * every matching is class-aware; the counts of all classes are pooled (TrackEval's combination by
 * detections). CLEAR and identity match at IoU ≥ 0.5; HOTA averages 19 thresholds 0.05..0.95. Ids
 * are scoped to their sequence; counts are summed over sequences.
 *
 * <p>One deliberate difference from TrackEval: a frame with no ground truth or no prediction
 * interrupts every ground-truth track for the fragmentation count and the CLEAR matching's
 * preference for the previous match (TrackEval carries the previous frame's matches across such
 * frames).
 *
 * <p>Not thread-safe.
 */
public final class TrackingMetrics {

  /** CLEAR and identity match at this IoU. */
  public static final double IOU_THRESHOLD = 0.5;

  private static final double EPS = 1e-9;
  private static final double[] ALPHAS = new double[19];

  static {
    for (int a = 0; a < ALPHAS.length; a++) {
      ALPHAS[a] = 0.05 * (a + 1);
    }
  }

  /**
   * One object in one frame: ground truth or a tracker's output.
   *
   * @param id identity within the sequence
   * @param category class name; objects of different classes never match
   * @param box its box
   */
  public record Obj(long id, String category, Box box) {}

  /** The ground truth and the tracker's output of one frame. */
  public record Frame(List<Obj> truth, List<Obj> predicted) {}

  // CLEAR
  private long tp;
  private long fn;
  private long fp;
  private long idsw;
  private long frag;
  private double motpSum;
  private long mostlyTracked;
  private long partlyTracked;
  private long mostlyLost;
  // identity
  private long idtp;
  private long gtDets;
  private long predDets;
  // HOTA, per threshold
  private final long[] hotaTp = new long[ALPHAS.length];
  private final long[] hotaFn = new long[ALPHAS.length];
  private final long[] hotaFp = new long[ALPHAS.length];
  private final double[] assSum = new double[ALPHAS.length];
  private final double[] locSum = new double[ALPHAS.length];
  private long frames;
  private long gtTracks;
  private long predTracks;
  private int sequences;

  /** Scores one sequence (one video of one camera); its ids mean nothing to other sequences. */
  public void addSequence(List<Frame> sequence) {
    Sequence s = new Sequence(sequence);
    sequences++;
    frames += sequence.size();
    gtTracks += s.gtIds;
    predTracks += s.predIds;
    clear(s);
    identity(s);
    hota(s);
  }

  /** Dense ids and per-frame similarity matrices of one sequence. */
  private static final class Sequence {
    final int gtIds;
    final int predIds;
    final int[][] gt;
    final int[][] pred;
    final double[][][] sim;

    Sequence(List<Frame> frames) {
      Map<Long, Integer> g = new LinkedHashMap<>();
      Map<Long, Integer> p = new LinkedHashMap<>();
      gt = new int[frames.size()][];
      pred = new int[frames.size()][];
      sim = new double[frames.size()][][];
      for (int t = 0; t < frames.size(); t++) {
        Frame f = frames.get(t);
        gt[t] = dense(f.truth(), g, "ground truth", t);
        pred[t] = dense(f.predicted(), p, "prediction", t);
        sim[t] = new double[f.truth().size()][f.predicted().size()];
        for (int i = 0; i < f.truth().size(); i++) {
          Obj a = f.truth().get(i);
          for (int j = 0; j < f.predicted().size(); j++) {
            Obj b = f.predicted().get(j);
            sim[t][i][j] = a.category().equals(b.category()) ? a.box().iou(b.box()) : 0;
          }
        }
      }
      gtIds = g.size();
      predIds = p.size();
    }

    private static int[] dense(List<Obj> objs, Map<Long, Integer> ids, String what, int t) {
      int[] out = new int[objs.size()];
      for (int i = 0; i < objs.size(); i++) {
        out[i] = ids.computeIfAbsent(objs.get(i).id(), k -> ids.size());
        for (int j = 0; j < i; j++) {
          if (out[j] == out[i]) {
            throw new IllegalArgumentException(
                what + " id " + objs.get(i).id() + " appears twice in frame " + t);
          }
        }
      }
      return out;
    }
  }

  private void clear(Sequence s) {
    int[] prevMatch = new int[s.gtIds]; // last tracker id ever matched, -1 none
    int[] prevStep = new int[s.gtIds]; // tracker id matched in the previous frame, -1 none
    int[] present = new int[s.gtIds];
    int[] matched = new int[s.gtIds];
    int[] resumed = new int[s.gtIds];
    Arrays.fill(prevMatch, -1);
    Arrays.fill(prevStep, -1);
    for (int t = 0; t < s.gt.length; t++) {
      int[] g = s.gt[t];
      int[] p = s.pred[t];
      double[][] w = new double[g.length][p.length];
      for (int i = 0; i < g.length; i++) {
        present[g[i]]++;
        for (int j = 0; j < p.length; j++) {
          if (s.sim[t][i][j] >= IOU_THRESHOLD - EPS) {
            // keeping last frame's correspondence wins over any IoU (CLEAR MOT's rule)
            w[i][j] = (prevStep[g[i]] == p[j] ? 1000 : 0) + s.sim[t][i][j];
          }
        }
      }
      int[] m = Assignment.maxWeight(w);
      int[] nowStep = new int[s.gtIds];
      Arrays.fill(nowStep, -1);
      int n = 0;
      for (int i = 0; i < g.length; i++) {
        if (m[i] < 0) {
          continue;
        }
        n++;
        int tracker = p[m[i]];
        if (prevMatch[g[i]] >= 0 && prevMatch[g[i]] != tracker) {
          idsw++;
        }
        if (prevStep[g[i]] < 0) {
          resumed[g[i]]++;
        }
        prevMatch[g[i]] = tracker;
        nowStep[g[i]] = tracker;
        matched[g[i]]++;
        motpSum += s.sim[t][i][m[i]];
      }
      prevStep = nowStep;
      tp += n;
      fn += g.length - n;
      fp += p.length - n;
    }
    for (int k = 0; k < s.gtIds; k++) {
      frag += Math.max(0, resumed[k] - 1);
      double ratio = matched[k] / (double) present[k];
      if (ratio > 0.8) {
        mostlyTracked++;
      } else if (ratio >= 0.2) {
        partlyTracked++;
      } else {
        mostlyLost++;
      }
    }
  }

  private void identity(Sequence s) {
    double[][] count = new double[s.gtIds][s.predIds];
    for (int t = 0; t < s.gt.length; t++) {
      gtDets += s.gt[t].length;
      predDets += s.pred[t].length;
      for (int i = 0; i < s.gt[t].length; i++) {
        for (int j = 0; j < s.pred[t].length; j++) {
          if (s.sim[t][i][j] >= IOU_THRESHOLD - EPS) {
            count[s.gt[t][i]][s.pred[t][j]]++;
          }
        }
      }
    }
    int[] m = Assignment.maxWeight(count);
    for (int g = 0; g < m.length; g++) {
      if (m[g] >= 0) {
        idtp += (long) count[g][m[g]];
      }
    }
  }

  private void hota(Sequence s) {
    int[] gtCount = new int[s.gtIds];
    int[] predCount = new int[s.predIds];
    double[][] potential = new double[s.gtIds][s.predIds];
    for (int t = 0; t < s.gt.length; t++) {
      double[][] sim = s.sim[t];
      int ng = s.gt[t].length;
      int np = s.pred[t].length;
      double[] rowSum = new double[ng];
      double[] colSum = new double[np];
      for (int i = 0; i < ng; i++) {
        for (int j = 0; j < np; j++) {
          rowSum[i] += sim[i][j];
          colSum[j] += sim[i][j];
        }
      }
      for (int i = 0; i < ng; i++) {
        gtCount[s.gt[t][i]]++;
        for (int j = 0; j < np; j++) {
          double denom = rowSum[i] + colSum[j] - sim[i][j];
          if (denom > EPS) {
            potential[s.gt[t][i]][s.pred[t][j]] += sim[i][j] / denom;
          }
        }
      }
      for (int j = 0; j < np; j++) {
        predCount[s.pred[t][j]]++;
      }
    }
    double[][] alignment = new double[s.gtIds][s.predIds];
    for (int g = 0; g < s.gtIds; g++) {
      for (int p = 0; p < s.predIds; p++) {
        alignment[g][p] = potential[g][p] / (gtCount[g] + predCount[p] - potential[g][p]);
      }
    }
    // matches per (gt, tracker) pair and threshold; sparse: few pairs ever match
    Map<Long, int[]> matches = new HashMap<>();
    for (int t = 0; t < s.gt.length; t++) {
      int[] g = s.gt[t];
      int[] p = s.pred[t];
      double[][] sim = s.sim[t];
      double[][] w = new double[g.length][p.length];
      for (int i = 0; i < g.length; i++) {
        for (int j = 0; j < p.length; j++) {
          w[i][j] = alignment[g[i]][p[j]] * sim[i][j];
        }
      }
      int[] m = Assignment.maxWeight(w);
      for (int a = 0; a < ALPHAS.length; a++) {
        int n = 0;
        for (int i = 0; i < g.length; i++) {
          if (m[i] >= 0 && sim[i][m[i]] >= ALPHAS[a] - EPS) {
            n++;
            locSum[a] += sim[i][m[i]];
            long pair = (long) g[i] * s.predIds + p[m[i]];
            matches.computeIfAbsent(pair, k -> new int[ALPHAS.length])[a]++;
          }
        }
        hotaTp[a] += n;
        hotaFn[a] += g.length - n;
        hotaFp[a] += p.length - n;
      }
    }
    for (Map.Entry<Long, int[]> e : matches.entrySet()) {
      int g = (int) (e.getKey() / s.predIds);
      int p = (int) (e.getKey() % s.predIds);
      for (int a = 0; a < ALPHAS.length; a++) {
        double c = e.getValue()[a];
        if (c > 0) {
          assSum[a] += c * c / (gtCount[g] + predCount[p] - c);
        }
      }
    }
  }

  /** The metrics of every sequence added so far. */
  public Result result() {
    double[] hota = new double[ALPHAS.length];
    double detA = 0;
    double assA = 0;
    double locA = 0;
    for (int a = 0; a < ALPHAS.length; a++) {
      double d = hotaTp[a] / (double) Math.max(1, hotaTp[a] + hotaFn[a] + hotaFp[a]);
      double as = assSum[a] / Math.max(1, hotaTp[a]);
      hota[a] = Math.sqrt(d * as);
      detA += d / ALPHAS.length;
      assA += as / ALPHAS.length;
      locA += locSum[a] / Math.max(1, hotaTp[a]) / ALPHAS.length;
    }
    double hotaMean = Arrays.stream(hota).average().orElse(0);
    long idfn = gtDets - idtp;
    long idfp = predDets - idtp;
    return new Result(
        sequences,
        frames,
        gtDets,
        predDets,
        gtTracks,
        predTracks,
        (tp - fp - idsw) / (double) Math.max(1, tp + fn),
        motpSum / Math.max(1, tp),
        tp,
        fp,
        fn,
        idsw,
        frag,
        mostlyTracked,
        partlyTracked,
        mostlyLost,
        idtp / Math.max(1.0, idtp + 0.5 * idfp + 0.5 * idfn),
        idtp / (double) Math.max(1, idtp + idfp),
        idtp / (double) Math.max(1, idtp + idfn),
        hotaMean,
        detA,
        assA,
        locA,
        new ArrayList<>(Arrays.stream(hota).boxed().toList()));
  }

  /**
   * The metrics.
   *
   * @param sequences sequences scored
   * @param frames frames scored
   * @param gtDetections ground-truth boxes
   * @param predictedDetections boxes the tracker reported
   * @param gtTracks ground-truth identities
   * @param predictedTracks tracker identities
   * @param mota 1 − (misses + false positives + id switches) / ground-truth boxes
   * @param motp mean IoU of the matches
   * @param truePositives matches
   * @param falsePositives reported boxes not matched
   * @param misses ground-truth boxes not matched
   * @param idSwitches times a ground-truth track was matched to another tracker id than before
   * @param fragmentations times a ground-truth track was tracked again after an interruption
   * @param mostlyTracked ground-truth tracks matched in more than 80% of their frames
   * @param partlyTracked ... in 20% to 80%
   * @param mostlyLost ... in less than 20%
   * @param idf1 identity F1: 2 IDTP / (ground-truth + reported boxes)
   * @param idp identity precision
   * @param idr identity recall
   * @param hota higher order tracking accuracy, mean over the IoU thresholds
   * @param detA detection accuracy (HOTA's), mean over the thresholds
   * @param assA association accuracy (HOTA's), mean over the thresholds
   * @param locA localisation accuracy (HOTA's), mean over the thresholds
   * @param hotaPerThreshold HOTA at IoU 0.05, 0.10, ..., 0.95
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      int sequences,
      long frames,
      long gtDetections,
      long predictedDetections,
      long gtTracks,
      long predictedTracks,
      double mota,
      double motp,
      long truePositives,
      long falsePositives,
      long misses,
      long idSwitches,
      long fragmentations,
      long mostlyTracked,
      long partlyTracked,
      long mostlyLost,
      double idf1,
      double idp,
      double idr,
      double hota,
      double detA,
      double assA,
      double locA,
      List<Double> hotaPerThreshold) {}
}
