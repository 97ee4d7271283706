package dev.hydrastream.config;

/** Breaks "no cycles" on purpose (with frame.ArchFixtureCycle): see ArchitectureTest. */
public final class ArchFixtureCycle {
  dev.hydrastream.frame.ArchFixtureCycle other;
}
