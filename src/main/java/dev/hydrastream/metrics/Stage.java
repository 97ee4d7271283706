package dev.hydrastream.metrics;

/**
 * The contiguous stages of a frame's life from capture to committed result; their durations add up
 * to the capture-to-commit latency ({@code hydrastream_frame_latency_seconds}). Label values of
 * {@code hydrastream_stage_seconds} are the lower-case names.
 */
public enum Stage {
  /**
   * Capture time to the start of processing: camera, producer, broker, fetch, the thread's queue.
   */
  KAFKA_WAIT("kafka_wait"),
  /** Parsing the record, validating and decoding the image into the model input. */
  DECODE("decode"),
  /** Queued in the batching predictor until its batch's model call began. */
  BATCH_WAIT("batch_wait"),
  /** The batch's model call. */
  MODEL("model"),
  /** Waking the stream thread, building the result records and handing them to the producer. */
  RESULT("result"),
  /** From handing the results to the producer until their transaction (or flush) committed. */
  PRODUCE_TO_COMMIT("produce_to_commit");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  /** The label value. */
  public String label() {
    return label;
  }
}
