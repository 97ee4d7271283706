package dev.hydrastream.cli;

import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --json} option of every command with a result, and the printing of that result: one
 * JSON document on stdout and nothing else there, or a text table (see {@link Printer}).
 */
final class JsonOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--json", description = "Print one JSON document on stdout (and nothing else).")
  boolean enabled;

  /** Whether {@code --json} was given: progress output must then stay off stdout. */
  boolean enabled() {
    return enabled;
  }

  /** Prints {@code result} on the command's stdout, as JSON or as a text table. */
  void print(Object result) throws IOException {
    Printer.print(mixee.commandLine().getOut(), enabled, result);
  }
}
