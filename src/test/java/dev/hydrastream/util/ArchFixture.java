package dev.hydrastream.util;

/** Breaks "the ground floor imports nothing above it" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.model.ModelConfig field;
}
