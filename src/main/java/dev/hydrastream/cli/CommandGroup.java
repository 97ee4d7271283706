package dev.hydrastream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code hydrastream} itself, {@code bench}, {@code
 * weights}, {@code topology}, {@code topics}): run alone, it prints its usage. Every group has
 * {@code --help} and {@code --version}: picocli takes that attribute from this superclass.
 */
@Command(mixinStandardHelpOptions = true)
abstract class CommandGroup implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
