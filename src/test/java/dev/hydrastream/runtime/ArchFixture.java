package dev.hydrastream.runtime;

/**
 * Breaks "the native runtime imports neither serving nor training" on purpose: see
 * ArchitectureTest.
 */
final class ArchFixture {
  dev.hydrastream.inference.PerceptionModel field;
}
