package dev.hydrastream.metrics;

/** Breaks "metrics knows no Kafka topology" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.streams.topics.Topics field;
}
