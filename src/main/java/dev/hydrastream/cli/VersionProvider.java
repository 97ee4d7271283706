package dev.hydrastream.cli;

import picocli.CommandLine;

/** Reports the build version from the jar manifest (or "dev" when run from classes). */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"hydrastream " + (v == null ? "dev" : v)};
  }
}
