package dev.hydrastream.cli;

import dev.hydrastream.config.ServiceVersion;
import picocli.CommandLine;

/** Reports the build version ({@link ServiceVersion}: the jar manifest, or "dev"). */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"hydrastream " + ServiceVersion.get()};
  }
}
