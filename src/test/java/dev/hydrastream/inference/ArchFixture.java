package dev.hydrastream.inference;

/** Breaks "inference is the bottom of the service side" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.streams.topics.Topics field;
}
