package dev.hydrastream.streams.topics;

/**
 * Breaks "the lower streams sub-packages import neither perception, admin nor the service" on
 * purpose: see ArchitectureTest.
 */
final class ArchFixture {
  dev.hydrastream.streams.perception.PerceptionTopology field;
}
