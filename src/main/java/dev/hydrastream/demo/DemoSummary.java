package dev.hydrastream.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.runtime.Jit;
import dev.hydrastream.sim.CameraFleet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a finished demo run reports; the field names are those of {@code demo --json}.
 *
 * @param seconds how long the cameras ran
 * @param framesSkippedBySimulator capture slots the simulator skipped (for every camera) because
 *     its time passed while it was still rendering an earlier instant
 * @param framesLateBySimulator frames the simulator published more than one frame period after
 *     their capture time (the render fell behind): their lateness is in {@code kafka_wait}
 * @param framesIn frames sent to {@code camera.frames}
 * @param results records read (read_committed) per result topic, perception.events and
 *     perception.alerts
 * @param framesLost frames sent but neither on every result topic (and perception.events) nor
 *     dead-lettered, at worst over the topics
 * @param duplicateResults records beyond one per frame, over all result topics
 * @param latencyMsP50 capture-to-result latency seen by the results reader
 * @param consumerLagMax the service's largest consumer lag on {@code camera.frames}
 * @param modelCalls batched model calls
 * @param machine the cores of this machine and the JIT tiers the JVM compiles with ({@link Jit})
 * @param telemetryIn vehicle telemetry records sent to {@code vehicle.telemetry}
 * @param eventsByTelemetryStatus events by telemetry status (OK, MISSING, STALE, NO_VEHICLE)
 * @param eventsTelemetryMissingAfterFirstSecond events without telemetry joined, captured more than
 *     one second after the first event
 * @param alertsByRule alerts by rule id
 * @param alertsOnDashboardByRule alerts by rule id as the dashboard shows them at the end ({@code
 *     /api/alerts}, the alerts panel): equal to {@code alertsByRule} when every committed alert
 *     reached the page's feed
 * @param latencyBreakdown where the capture-to-result time went, stage by stage ({@link
 *     LatencyBreakdown})
 * @param modelSwitches the model switches of {@code --switch-model} ({@link ModelSwitches}); absent
 *     without it
 * @param shadow the shadow model's run ({@code --shadow}), or null without one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DemoSummary(
    double seconds,
    long framesRendered,
    long framesSkippedBySimulator,
    long framesLateBySimulator,
    long framesIn,
    long framesFailedToSend,
    Map<String, Long> results,
    long deadLettered,
    Map<String, Long> deadLetterReasons,
    long framesLost,
    long duplicateResults,
    double throughputFps,
    double latencyMsP50,
    double latencyMsP95,
    double latencyMsP99,
    double latencyMsMax,
    AfterWarmup latencyAfterWarmup,
    long consumerLagMax,
    long consumerLagSamples,
    long modelCalls,
    double meanBatch,
    String processingGuarantee,
    int streamThreads,
    String machine,
    long telemetryIn,
    Map<String, Long> eventsByTelemetryStatus,
    long eventsTelemetryMissingAfterFirstSecond,
    Map<String, Long> alertsByRule,
    Map<String, Long> alertsOnDashboardByRule,
    LatencyBreakdown latencyBreakdown,
    @JsonInclude(JsonInclude.Include.NON_NULL) ModelSwitches modelSwitches,
    ShadowRun shadow) {

  /**
   * The shadow model's side of a run ({@code shadow.model}).
   *
   * @param model the shadow model, {@code NAME/VERSION}
   * @param fraction {@code shadow.fraction}
   * @param sampledFrames frames on perception.frames whose id is in the sample (counted by the
   *     results reader from the ids)
   * @param records records read (read_committed) on perception.shadow: equal to {@code
   *     sampledFrames} when nothing was dropped or failed
   * @param distinctFrames distinct frame ids among them
   * @param dropped sampled frames the service dropped (the shadow's queue was full)
   * @param failed sampled frames whose shadow model call failed
   * @param attributeAgreement per attribute, share of compared frames with the same top label
   * @param detectionF1 per class, F1 of the shadow's detections against the incumbent's
   * @param maskIou mean mask IoU (null before a comparison)
   * @param meanLatencyDeltaMs mean of the shadow's model call minus the incumbent's (null before a
   *     comparison)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ShadowRun(
      String model,
      double fraction,
      long sampledFrames,
      long records,
      long distinctFrames,
      long dropped,
      long failed,
      Map<String, Double> attributeAgreement,
      Map<String, Double> detectionF1,
      Double maskIou,
      Double meanLatencyDeltaMs) {}

  /**
   * Capture-to-result latency of the frames captured after the warm-up (the first {@code
   * warmupSeconds} after the first frame's capture time): the steady state, without the JIT
   * compiling the pipeline's code and the first sends' metadata fetches that hold up a fresh
   * service's first frames (the figures above include them).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AfterWarmup(
      double warmupSeconds,
      long frames,
      double latencyMsP50,
      double latencyMsP95,
      double latencyMsP99,
      double latencyMsMax) {

    static AfterWarmup of(double warmupSeconds, long[] sorted) {
      return new AfterWarmup(
          warmupSeconds,
          sorted.length,
          ResultsReader.quantile(sorted, 0.5),
          ResultsReader.quantile(sorted, 0.95),
          ResultsReader.quantile(sorted, 0.99),
          ResultsReader.quantile(sorted, 1.0));
    }
  }

  /** What the service's side of a run looked like: its guarantee, threads and batches. */
  record Service(String processingGuarantee, int streamThreads, BatchingPredictor.Stats batches) {}

  /**
   * Sums up a run from what the simulator, the producer, the results reader and the lag monitor
   * counted.
   *
   * @param telemetrySent telemetry records sent to {@code vehicle.telemetry}
   * @param resultTopics names of the topics with one record per frame (results, events)
   * @param alertsTopic name of the alerts topic
   * @param dashboardAlerts alerts by rule on the dashboard at the end
   * @param afterWarmup the latency of the frames captured after the warm-up
   * @param switching the run's model switches, or null without {@code --switch-model}
   * @param shadow the shadow model's side, or null
   */
  static DemoSummary of(
      double seconds,
      CameraFleet.Stats sim,
      long sent,
      long failedToSend,
      long telemetrySent,
      Iterable<String> resultTopics,
      String alertsTopic,
      ResultsReader.Summary r,
      LagMonitor lag,
      Service service,
      Map<String, Long> dashboardAlerts,
      AfterWarmup afterWarmup,
      LatencyBreakdown latencyBreakdown,
      ModelSwitches.Run switching,
      ShadowRun shadow) {
    Map<String, Long> perTopic = new LinkedHashMap<>();
    long lost = 0;
    long duplicates = 0;
    for (String topic : resultTopics) {
      long records = r.records().getOrDefault(topic, 0L);
      int distinct = r.distinctFrames().getOrDefault(topic, 0);
      perTopic.put(topic, records);
      lost = Math.max(lost, sent - r.deadLetters() - distinct);
      duplicates += records - distinct;
    }
    perTopic.put(alertsTopic, r.records().getOrDefault(alertsTopic, 0L));
    return new DemoSummary(
        Math.round(seconds * 10) / 10.0,
        sim.produced(),
        sim.skipped(),
        sim.late(),
        sent,
        failedToSend,
        perTopic,
        r.deadLetters(),
        r.deadLetterReasons(),
        lost,
        duplicates,
        Math.round(sent / seconds * 10) / 10.0,
        r.latencyQuantile(0.5),
        r.latencyQuantile(0.95),
        r.latencyQuantile(0.99),
        r.latencyQuantile(1.0),
        afterWarmup,
        lag.max(),
        lag.samples(),
        service.batches().batches(),
        Math.round(service.batches().meanBatch() * 100) / 100.0,
        service.processingGuarantee(),
        service.streamThreads(),
        Runtime.getRuntime().availableProcessors() + " cores, " + Jit.describe(),
        telemetrySent,
        r.telemetryStatus(),
        r.telemetryMissingAfterFirstSecond(),
        r.alertsByRule(),
        dashboardAlerts,
        latencyBreakdown,
        switching == null ? null : switching.summary(sent, r.deadLetters(), duplicates),
        shadow);
  }
}
