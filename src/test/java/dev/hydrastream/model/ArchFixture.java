package dev.hydrastream.model;

/** Breaks "the embedded broker is used only by tools" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.kafka.EmbeddedKafka field;
}
