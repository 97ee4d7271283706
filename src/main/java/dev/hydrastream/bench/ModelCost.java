package dev.hydrastream.bench;

import dev.hydrastream.spec.ModelCard;

/**
 * What a model costs per image, as its card's {@code architecture} section records it (written at
 * export): FLOPs and parameters. The rows that carry it unwrap it ({@code @JsonUnwrapped}), so
 * their reports keep the fields {@code flops} and {@code parameters}.
 */
public record ModelCost(long flops, long parameters) {

  /** The cost recorded in {@code card}; 0 for what it does not record. */
  public static ModelCost of(ModelCard card) {
    var arch = card.raw().path("architecture");
    return new ModelCost(arch.path("flops_per_image").asLong(), arch.path("parameters").asLong());
  }
}
