package dev.hydrastream.spec;

/** Breaks "the vocabulary imports no other package of ours" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.util.Json field;
}
