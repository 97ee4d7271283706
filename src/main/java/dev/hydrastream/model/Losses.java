package dev.hydrastream.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The loss functions of the joint objective as graph ops. Each is a pure function of its
 * operands so that tests can check it against a plain Java computation on hand-made targets.
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
  static Operand<TFloat32> weightedSoftmaxCe(Ops tf, Operand<TFloat32> logits,
      Operand<TFloat32> onehot, Operand<TFloat32> weight) {
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
    Operand<TFloat32> posTerm = tf.math.mul(
        tf.math.mul(tf.math.square(tf.math.sub(one, p)), logP), pos);
    Operand<TFloat32> negWeight = tf.math.square(tf.math.square(tf.math.sub(one, target)));
    Operand<TFloat32> negTerm = tf.math.mul(
        tf.math.mul(tf.math.mul(negWeight, tf.math.square(p)), log1mP), neg);
    Operand<TFloat32> numPos = atLeastOne(tf, sumAll(tf, pos));
    return tf.math.div(tf.math.neg(sumAll(tf, tf.math.add(posTerm, negTerm))), numPos);
  }

  /**
   * L1 between prediction and target channels {@code a, b} of {@code [N, H, W, 4]} maps at the
   * cells where {@code mask} ({@code [N, H, W, 1]}) is 1, divided by the number of such cells.
   */
  static Operand<TFloat32> maskedL1(Ops tf, Operand<TFloat32> pred, Operand<TFloat32> target,
      Operand<TFloat32> mask, int a, int b) {
    Operand<TFloat32> diff = tf.math.mul(tf.math.abs(tf.math.sub(pred, target)), mask);
    Operand<TFloat32> picked = tf.gather(diff, tf.constant(new int[] {a, b}), tf.constant(3));
    return tf.math.div(sumAll(tf, picked), atLeastOne(tf, sumAll(tf, mask)));
  }
}
