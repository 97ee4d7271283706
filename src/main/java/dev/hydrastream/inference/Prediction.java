package dev.hydrastream.inference;

import dev.hydrastream.spec.Perception;

/**
 * One frame's result from the batching predictor with the moments ({@link System#nanoTime()}) that
 * split its time there into waiting for a batch and the model call, so a caller can report them.
 *
 * @param perception what the model says about the frame
 * @param enqueuedNanos when the frame was submitted
 * @param startedNanos when the model call of its batch began
 * @param doneNanos when that model call returned
 * @param batchSize frames in its batch
 */
public record Prediction(
    Perception perception, long enqueuedNanos, long startedNanos, long doneNanos, int batchSize) {

  /** Time queued until its batch's model call began (batch formation included). */
  public long batchWaitNanos() {
    return startedNanos - enqueuedNanos;
  }

  /** Duration of its batch's model call. */
  public long modelNanos() {
    return doneNanos - startedNanos;
  }
}
