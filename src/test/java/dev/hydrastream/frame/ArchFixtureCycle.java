package dev.hydrastream.frame;

/** Breaks "no cycles" on purpose (with config.ArchFixtureCycle): see ArchitectureTest. */
public final class ArchFixtureCycle {
  dev.hydrastream.config.ArchFixtureCycle other;
}
