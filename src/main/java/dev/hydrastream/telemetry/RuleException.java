package dev.hydrastream.telemetry;

/**
 * A rules file that cannot be used: the message names the file, the rule (id and line), where in
 * the rule the problem is, and why. Thrown at start, so a bad rule stops the service.
 */
public final class RuleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public RuleException(String message) {
    super(message);
  }
}
