package dev.hydrastream.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parses {@code AxB} size settings (1280x720, 224x384) and fails naming the option. */
final class Dimensions {
  private Dimensions() {}

  /**
   * The two numbers of {@code value}, each within {@code min..max}.
   *
   * @param form how the option is spelled in the error, e.g. {@code WIDTHxHEIGHT}
   */
  static int[] parse(CommandSpec spec, String option, String value, String form, int min, int max) {
    String[] parts = value.toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length == 2) {
        int a = Integer.parseInt(parts[0]);
        int b = Integer.parseInt(parts[1]);
        if (a >= min && b >= min && a <= max && b <= max) {
          return new int[] {a, b};
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new ParameterException(
        spec.commandLine(),
        option
            + " must be "
            + form
            + " with both within "
            + min
            + ".."
            + max
            + ", got '"
            + value
            + "'");
  }
}
