package dev.hydrastream.data.render;

/**
 * Breaks "no cycles at any depth" on purpose (with data.labels.ArchFixtureCycle): see
 * ArchitectureTest.
 */
public final class ArchFixtureCycle {
  dev.hydrastream.data.labels.ArchFixtureCycle other;
}
