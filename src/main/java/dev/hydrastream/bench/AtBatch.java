package dev.hydrastream.bench;

/**
 * A figure measured at batch 1 and at batch 8, the two batch sizes the model benchmarks compare.
 * The rows that carry it unwrap it with a prefix ({@code @JsonUnwrapped(prefix = "fps_")}), so
 * their reports keep fields such as {@code fps_batch1} and {@code fps_batch8}.
 */
public record AtBatch(double batch1, double batch8) {

  /** The medians of the repeats at batch 1 and at batch 8 ({@link Paired#median}). */
  public static AtBatch medians(double[] batch1, double[] batch8) {
    return new AtBatch(Paired.median(batch1), Paired.median(batch8));
  }
}
