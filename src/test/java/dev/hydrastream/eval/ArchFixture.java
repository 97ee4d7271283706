package dev.hydrastream.eval;

/** Breaks "eval does not import the trainer" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.model.ModelConfig field;
}
