package dev.hydrastream.sim;

/** Breaks "data and sim are the bottom of the training side" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.model.ModelConfig field;
}
