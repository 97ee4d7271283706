package dev.hydrastream.config;

/**
 * The service's version, read in one place: the jar manifest's {@code Implementation-Version}, or
 * {@value #DEV} when run from classes (the build, an IDE). The {@code --version} option prints it
 * and every result record names it ({@code hydra.service.version}).
 */
public final class ServiceVersion {

  /** The version when no jar manifest names one. */
  public static final String DEV = "dev";

  private static final String VERSION = read();

  private ServiceVersion() {}

  /** The version, e.g. {@code 0.9.0}, or {@value #DEV}. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    String v = ServiceVersion.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? DEV : v;
  }
}
