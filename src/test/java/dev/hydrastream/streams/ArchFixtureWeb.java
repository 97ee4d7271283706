package dev.hydrastream.streams;

/** Breaks "streams does not import the web layer" on purpose: see ArchitectureTest. */
final class ArchFixtureWeb {
  dev.hydrastream.web.ArchFixtureTarget field;
}
