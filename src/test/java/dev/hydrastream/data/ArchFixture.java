package dev.hydrastream.data;

/** Breaks "nothing imports the CLI" on purpose: see ArchitectureTest. */
final class ArchFixture {
  dev.hydrastream.cli.Main field;
}
