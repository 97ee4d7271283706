package dev.hydrastream.streams;

/** Breaks "the service side never imports the training side" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.eval.MetricSet field;
}
