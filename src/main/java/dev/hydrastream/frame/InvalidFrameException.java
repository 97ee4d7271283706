package dev.hydrastream.frame;

/** An encoded frame that cannot be used, with the {@link FrameProblem} and a readable detail. */
public final class InvalidFrameException extends RuntimeException {

  private final FrameProblem problem;
  private final String detail;

  public InvalidFrameException(FrameProblem problem, String detail) {
    super(problem + ": " + detail, null, false, false);
    this.problem = problem;
    this.detail = detail;
  }

  public FrameProblem problem() {
    return problem;
  }

  /** The human-readable part of the message, without the problem's name. */
  public String detail() {
    return detail;
  }
}
