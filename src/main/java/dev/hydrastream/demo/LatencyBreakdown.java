package dev.hydrastream.demo;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.metrics.Stage;
import java.util.Locale;

/**
 * Where a frame's capture-to-result time went, for the demo summary: each stage's median and mean
 * from the service's stage histograms ({@code hydrastream_stage_seconds}), in pipeline order, their
 * sums, and the end-to-end figures they should add up to: the service's capture-to-commit latency
 * ({@code hydrastream_frame_latency_seconds}) and the results reader's capture-to-receipt latency.
 * The simulator's own share (rendering and encoding a frame after its capture time, before the
 * producer has it) is inside {@code kafka_wait}; it is shown on its own line.
 *
 * @param sumOfP50sOverServiceP50 the stage medians' sum over the service's capture-to-commit median
 * @param sumOfP50sOverReaderP50 the stage medians' sum over the reader's capture-to-result median
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LatencyBreakdown(
    String kafkaWait,
    String ofWhichCameraRenderAndEncode,
    String decode,
    String batchWait,
    String model,
    String result,
    String produceToCommit,
    String sumOfStages,
    String captureToCommitService,
    String captureToResultReader,
    double sumOfP50sOverServiceP50,
    double sumOfP50sOverReaderP50) {

  /**
   * The breakdown of what {@code metrics} recorded.
   *
   * @param readerP50Ms the results reader's capture-to-receipt median
   * @param cameraP50Ms the simulator's capture-to-producer median
   */
  public static LatencyBreakdown of(
      ServiceMetrics metrics, double readerP50Ms, double cameraP50Ms) {
    String[] line = new String[Stage.values().length];
    double sumP50 = 0;
    double sumMean = 0;
    for (Stage s : Stage.values()) {
      double p50 = metrics.quantile(s, 0.5) * 1e3;
      double mean = metrics.mean(s) * 1e3;
      sumP50 += p50;
      sumMean += mean;
      line[s.ordinal()] = "p50 " + ms(p50) + ", mean " + ms(mean);
    }
    double serviceP50 = metrics.latencyQuantile(0.5) * 1e3;
    return new LatencyBreakdown(
        line[Stage.KAFKA_WAIT.ordinal()],
        "p50 " + ms(cameraP50Ms),
        line[Stage.DECODE.ordinal()],
        line[Stage.BATCH_WAIT.ordinal()],
        line[Stage.MODEL.ordinal()],
        line[Stage.RESULT.ordinal()],
        line[Stage.PRODUCE_TO_COMMIT.ordinal()],
        "p50s " + ms(sumP50) + ", means " + ms(sumMean),
        "p50 " + ms(serviceP50) + ", mean " + ms(metrics.latencyMean() * 1e3),
        "p50 " + ms(readerP50Ms),
        ratio(sumP50, serviceP50),
        ratio(sumP50, readerP50Ms));
  }

  private static double ratio(double a, double b) {
    return Math.round(a / b * 1000) / 1000.0;
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.1f ms", v);
  }
}
