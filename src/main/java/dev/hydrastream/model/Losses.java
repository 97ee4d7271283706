package dev.hydrastream.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The loss functions of the joint objective as graph ops. Each is a pure function of its operands
 * so that tests can check it against a plain Java computation on hand-made targets.
 */
final class Losses {
  private Losses() {}

  static Operand<TFloat32> sumAll(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
  }

  private static Operand<TFloat32> atLeastOne(Ops tf, Operand<TFloat32> x) {
    return tf.math.maximum(x, tf.constant(1f));
  }

  /**
   * Softmax cross-entropy per row ({@code [N, K]} logits, one-hot labels), weighted per row and
   * averaged over the total weight. Rows with weight 0 (unknown labels, ignored pixels) do not
   * count. The sparse variant has no gradient in TF Java, hence one-hot labels.
   */
  static Operand<TFloat32> weightedSoftmaxCe(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> onehot, Operand<TFloat32> weight) {
    Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(logits, onehot).loss();
    return tf.math.div(sumAll(tf, tf.math.mul(ce, weight)), atLeastOne(tf, sumAll(tf, weight)));
  }

  /**
   * CenterNet's penalty-reduced focal loss on a heat map: at cells where the target is exactly 1,
   * {@code -(1-p)^2 log p}; elsewhere {@code -(1-y)^4 p^2 log(1-p)}; summed and divided by the
   * number of positive cells (at least 1). Computed from logits with softplus for stability.
   */
  static Operand<TFloat32> focal(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> target) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> p = tf.math.sigmoid(logits);
    Operand<TFloat32> pos = tf.dtypes.cast(tf.math.equal(target, one), TFloat32.class);
    Operand<TFloat32> neg = tf.math.sub(one, pos);
    Operand<TFloat32> logP = tf.math.neg(tf.math.softplus(tf.math.neg(logits)));
    Operand<TFloat32> log1mP = tf.math.neg(tf.math.softplus(logits));
    Operand<TFloat32> posTerm =
        tf.math.mul(tf.math.mul(tf.math.square(tf.math.sub(one, p)), logP), pos);
    Operand<TFloat32> negWeight = tf.math.square(tf.math.square(tf.math.sub(one, target)));
    Operand<TFloat32> negTerm =
        tf.math.mul(tf.math.mul(tf.math.mul(negWeight, tf.math.square(p)), log1mP), neg);
    Operand<TFloat32> numPos = atLeastOne(tf, sumAll(tf, pos));
    return tf.math.div(tf.math.neg(sumAll(tf, tf.math.add(posTerm, negTerm))), numPos);
  }

  /**
   * TTFNet's dense box loss: at every weighted cell the predicted box (cell centre minus/plus the
   * four regressed edge distances) is compared with the target box by generalised IoU; {@code sum(w
   * * (1 - GIoU)) / sum(w)}.
   *
   * @param raw {@code [N, H, W, 4]} log edge distances in strides; with {@link
   *     MultiTaskNet.BoxCoding#PACKAGE} edge distances in pixels (negative ones count as 0)
   * @param target {@code [N, H, W, 4]} target boxes {@code x1, y1, x2, y2} in input pixels
   * @param weight {@code [N, H, W, 1]} per-cell weights (0 where no object)
   * @param coding how {@code raw} codes the boxes
   */
  static Operand<TFloat32> giou(
      Ops tf,
      Operand<TFloat32> raw,
      Operand<TFloat32> target,
      Operand<TFloat32> weight,
      int h,
      int w,
      float stride,
      MultiTaskNet.BoxCoding coding) {
    float off = coding == MultiTaskNet.BoxCoding.OURS ? 0.5f : 0f;
    float[] ax = new float[h * w];
    float[] ay = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        ax[y * w + x] = (x + off) * stride;
        ay[y * w + x] = (y + off) * stride;
      }
    }
    Operand<TFloat32> gx =
        tf.constant(
            org.tensorflow.ndarray.Shape.of(1, h, w),
            org.tensorflow.ndarray.buffer.DataBuffers.of(ax, true, false));
    Operand<TFloat32> gy =
        tf.constant(
            org.tensorflow.ndarray.Shape.of(1, h, w),
            org.tensorflow.ndarray.buffer.DataBuffers.of(ay, true, false));
    Operand<TFloat32> st = tf.constant(stride);
    Operand<TFloat32> px1 = tf.math.sub(gx, edge(tf, channel(tf, raw, 0), st, coding));
    Operand<TFloat32> py1 = tf.math.sub(gy, edge(tf, channel(tf, raw, 1), st, coding));
    Operand<TFloat32> px2 = tf.math.add(gx, edge(tf, channel(tf, raw, 2), st, coding));
    Operand<TFloat32> py2 = tf.math.add(gy, edge(tf, channel(tf, raw, 3), st, coding));
    Operand<TFloat32> tx1 = channel(tf, target, 0);
    Operand<TFloat32> ty1 = channel(tf, target, 1);
    Operand<TFloat32> tx2 = channel(tf, target, 2);
    Operand<TFloat32> ty2 = channel(tf, target, 3);
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> eps = tf.constant(1e-6f);
    Operand<TFloat32> areaP = tf.math.mul(tf.math.sub(px2, px1), tf.math.sub(py2, py1));
    Operand<TFloat32> areaT =
        tf.math.mul(
            tf.math.maximum(tf.math.sub(tx2, tx1), zero),
            tf.math.maximum(tf.math.sub(ty2, ty1), zero));
    Operand<TFloat32> iw =
        tf.math.maximum(tf.math.sub(tf.math.minimum(px2, tx2), tf.math.maximum(px1, tx1)), zero);
    Operand<TFloat32> ih =
        tf.math.maximum(tf.math.sub(tf.math.minimum(py2, ty2), tf.math.maximum(py1, ty1)), zero);
    Operand<TFloat32> inter = tf.math.mul(iw, ih);
    Operand<TFloat32> union = tf.math.add(tf.math.sub(tf.math.add(areaP, areaT), inter), eps);
    Operand<TFloat32> iou = tf.math.div(inter, union);
    Operand<TFloat32> cw = tf.math.sub(tf.math.maximum(px2, tx2), tf.math.minimum(px1, tx1));
    Operand<TFloat32> ch = tf.math.sub(tf.math.maximum(py2, ty2), tf.math.minimum(py1, ty1));
    Operand<TFloat32> areaC = tf.math.add(tf.math.mul(cw, ch), eps);
    Operand<TFloat32> giou = tf.math.sub(iou, tf.math.div(tf.math.sub(areaC, union), areaC));
    Operand<TFloat32> wt = tf.squeeze(weight, org.tensorflow.op.core.Squeeze.axis(List.of(3L)));
    Operand<TFloat32> loss = tf.math.mul(tf.math.sub(tf.constant(1f), giou), wt);
    return tf.math.div(sumAll(tf, loss), tf.math.maximum(sumAll(tf, wt), eps));
  }

  private static Operand<TFloat32> edge(
      Ops tf, Operand<TFloat32> raw, Operand<TFloat32> st, MultiTaskNet.BoxCoding coding) {
    return coding == MultiTaskNet.BoxCoding.OURS
        ? MultiTaskNet.distance(tf, raw, st)
        : tf.math.maximum(raw, tf.constant(0f));
  }

  /**
   * Learning without forgetting on the detector: the student's class heat map against the imported
   * COCO head's (mean squared difference of probabilities), and its box distances against the
   * teacher's where the teacher sees an object (L1, in strides), each normalised by the teacher's
   * object cells ({@code p >= 0.3}).
   */
  static Operand<TFloat32> distillDetection(
      Ops tf,
      Operand<TFloat32> studentLogits,
      Operand<TFloat32> teacherLogits,
      Operand<TFloat32> studentBoxes,
      Operand<TFloat32> teacherBoxes,
      float stride) {
    Operand<TFloat32> ps = tf.math.sigmoid(studentLogits);
    Operand<TFloat32> pt = tf.stopGradient(tf.math.sigmoid(teacherLogits));
    Operand<TFloat32> objects =
        tf.dtypes.cast(tf.math.greaterEqual(pt, tf.constant(0.3f)), TFloat32.class);
    Operand<TFloat32> n = tf.math.maximum(sumAll(tf, objects), tf.constant(1f));
    Operand<TFloat32> heat = tf.math.div(sumAll(tf, tf.math.square(tf.math.sub(ps, pt))), n);
    Operand<TFloat32> cell =
        tf.reduceMax(
            objects, tf.constant(new int[] {3}), org.tensorflow.op.core.ReduceMax.keepDims(true));
    Operand<TFloat32> l1 =
        tf.math.mul(tf.math.abs(tf.math.sub(studentBoxes, tf.stopGradient(teacherBoxes))), cell);
    Operand<TFloat32> box = tf.math.div(sumAll(tf, l1), tf.math.mul(n, tf.constant(4f * stride)));
    return tf.math.add(heat, box);
  }

  private static Operand<TFloat32> channel(Ops tf, Operand<TFloat32> x, int c) {
    return tf.squeeze(
        tf.gather(x, tf.constant(new int[] {c}), tf.constant(3)),
        org.tensorflow.op.core.Squeeze.axis(List.of(3L)));
  }
}
