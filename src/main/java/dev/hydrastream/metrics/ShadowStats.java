package dev.hydrastream.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Summary;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running comparison of a shadow model with the incumbent ({@code shadow.model}): frames
 * sampled, dropped (the shadow's queue was full), compared and failed, the agreement over the
 * compared frames ({@link ModelAgreement}, each frame's own added as it comes) and the latency
 * delta (the shadow's model call minus the incumbent's). The dashboard reads {@link #snapshot};
 * {@link #register} publishes the same figures as Prometheus series. Thread-safe.
 */
public final class ShadowStats {

  private final String incumbent;
  private final String shadow;
  private final double fraction;
  private final AtomicLong sampled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ModelAgreement agreement = new ModelAgreement();
  private long compared;
  private double deltaSumMs;
  private Summary delta;

  /**
   * @param incumbent the incumbent model at start, {@code name@version}
   * @param shadow the shadow model, {@code name@version}
   * @param fraction {@code shadow.fraction}
   */
  public ShadowStats(String incumbent, String shadow, double fraction) {
    this.incumbent = incumbent;
    this.shadow = shadow;
    this.fraction = fraction;
  }

  /**
   * The figures so far.
   *
   * @param incumbent the incumbent at start ({@code name@version}; a later activation is named on
   *     each record)
   * @param shadow the shadow model
   * @param fraction share of frames sampled
   * @param sampled frames sampled
   * @param dropped sampled frames dropped because the shadow's queue was full
   * @param compared frames the shadow answered and that were compared
   * @param failed sampled frames whose shadow model call failed
   * @param agreement the agreement over the compared frames
   * @param meanLatencyDeltaMs mean of the shadow's model call minus the incumbent's (NaN before the
   *     first)
   */
  public record Snapshot(
      String incumbent,
      String shadow,
      double fraction,
      long sampled,
      long dropped,
      long compared,
      long failed,
      ModelAgreement.Report agreement,
      double meanLatencyDeltaMs) {}

  /** A frame was sampled for the shadow. */
  public void sampled() {
    sampled.incrementAndGet();
  }

  /** A sampled frame was dropped: the shadow's queue was full. */
  public void dropped() {
    dropped.incrementAndGet();
  }

  /** A sampled frame's shadow model call failed. */
  public void failed() {
    failed.incrementAndGet();
  }

  /**
   * A sampled frame was compared.
   *
   * @param frame the frame's own agreement (one frame added)
   * @param latencyDeltaMs the shadow's model call minus the incumbent's, milliseconds
   */
  public void compared(ModelAgreement frame, double latencyDeltaMs) {
    Summary d;
    synchronized (this) {
      agreement.addAll(frame);
      compared++;
      deltaSumMs += latencyDeltaMs;
      d = delta;
    }
    if (d != null) {
      d.observe(latencyDeltaMs / 1000.0);
    }
  }

  /** The figures so far. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(
        incumbent,
        shadow,
        fraction,
        sampled.get(),
        dropped.get(),
        compared,
        failed.get(),
        agreement.report(),
        compared == 0 ? Double.NaN : deltaSumMs / compared);
  }

  /**
   * Publishes the figures to {@code metrics}' registry (nothing when metrics are off): {@code
   * hydrastream_shadow_frames_total{outcome}}, {@code
   * hydrastream_shadow_attribute_agreement{attribute}}, {@code
   * hydrastream_shadow_detection_f1{class}}, {@code hydrastream_shadow_mask_iou} and {@code
   * hydrastream_shadow_latency_delta_seconds}.
   */
  public void register(ServiceMetrics metrics) {
    if (!metrics.enabled()) {
      return;
    }
    var registry = metrics.registry();
    CounterWithCallback.builder()
        .name("hydrastream_shadow_frames_total")
        .help(
            "Frames sampled for the shadow model (shadow.fraction) and what became of them:"
                + " compared (a record on perception.shadow), dropped (its queue was full),"
                + " failed (its model call failed)")
        .labelNames("outcome")
        .callback(
            cb -> {
              Snapshot s = snapshot();
              cb.call(s.sampled(), "sampled");
              cb.call(s.compared(), "compared");
              cb.call(s.dropped(), "dropped");
              cb.call(s.failed(), "failed");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hydrastream_shadow_attribute_agreement")
        .help(
            "Share of compared frames on which the shadow model's top label of the attribute is"
                + " the incumbent's")
        .labelNames("attribute")
        .callback(cb -> each(snapshot().agreement().attributeAgreement(), cb::call))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hydrastream_shadow_detection_f1")
        .help(
            "F1 of the shadow model's detections against the incumbent's at IoU 0.5 over the"
                + " compared frames, per class either found")
        .labelNames("class")
        .callback(cb -> each(snapshot().agreement().detectionF1(), cb::call))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hydrastream_shadow_mask_iou")
        .help("Mean IoU of the two models' segmentation masks over the compared frames")
        .callback(
            cb -> {
              double iou = snapshot().agreement().maskIou();
              if (!Double.isNaN(iou)) {
                cb.call(iou);
              }
            })
        .register(registry);
    Summary d =
        Summary.builder()
            .name("hydrastream_shadow_latency_delta_seconds")
            .help(
                "The shadow model's call minus the incumbent's, per compared frame (each model's"
                    + " call for the frame's batch; negative when the shadow was faster)")
            .quantile(0.5, 0.01)
            .quantile(0.9, 0.01)
            .register(registry);
    synchronized (this) {
      delta = d;
    }
  }

  private interface LabelledValue {
    void call(double value, String... labels);
  }

  private static void each(Map<String, Double> values, LabelledValue cb) {
    values.forEach(
        (label, v) -> {
          if (!Double.isNaN(v)) {
            cb.call(v, label);
          }
        });
  }
}
