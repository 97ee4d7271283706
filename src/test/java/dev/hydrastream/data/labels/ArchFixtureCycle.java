package dev.hydrastream.data.labels;

/**
 * Breaks "no cycles at any depth" on purpose (with data.render.ArchFixtureCycle, a sibling
 * sub-package of the same top-level package): see ArchitectureTest.
 */
public final class ArchFixtureCycle {
  dev.hydrastream.data.render.ArchFixtureCycle other;
}
