package dev.hydrastream.sim;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.schema.ImageFormat;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.HeaderNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes simulated frames to {@code camera.frames} the way a camera gateway would: keyed by
 * camera id, as an Avro {@code CameraFrame} or as a raw JPEG with metadata headers.
 */
public final class FrameProducer implements AutoCloseable {

  /** Wire format of the frames. */
  public enum Format {
    AVRO,
    RAW;

    /** Parses {@code avro} or {@code raw}. */
    public static Format parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("frame format must be avro or raw, got '" + s + "'");
      }
    }
  }

  /** The producer's {@code max.request.size} unless overridden. */
  public static final int DEFAULT_MAX_REQUEST_SIZE = 4 << 20;

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final Format format;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong telemetrySent = new AtomicLong();
  private final AtomicLong telemetryFailed = new AtomicLong();

  /**
   * @param overrides extra producer settings (e.g. security)
   */
  public FrameProducer(String bootstrap, String topic, Format format, Map<String, ?> overrides) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE);
    p.putAll(overrides);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.format = format;
  }

  /** Sends one frame asynchronously; failures are counted (see {@link #failed()}). */
  public void send(SimFrame f) {
    send(f, null, null);
  }

  /**
   * Sends one frame to a chosen partition (null: by key hash, as any producer would). Benchmarks
   * use it to spread a handful of cameras evenly, which key hashing does not guarantee.
   */
  public void send(SimFrame f, Integer partition) {
    send(f, partition, (java.util.function.Consumer<Exception>) null);
  }

  /**
   * Sends one frame by key hash and tells {@code acked} how it went: null when the brokers
   * acknowledged it, else the error (the frame is also counted in {@link #sent()}/{@link
   * #failed()}). The {@code camera} command counts per camera with it.
   */
  public void sendAcked(SimFrame f, java.util.function.Consumer<Exception> acked) {
    send(f, null, acked);
  }

  private void send(SimFrame f, Integer partition, java.util.function.Consumer<Exception> acked) {
    if (format == Format.AVRO) {
      deliver(
          new ProducerRecord<>(
              topic,
              partition,
              f.cameraId(),
              AvroCodec.encode(
                  CameraFrame.newBuilder()
                      .setCameraId(f.cameraId())
                      .setVehicleId(f.vehicleId())
                      .setFrameSeq(f.seq())
                      .setCaptureTs(Instant.ofEpochMilli(f.captureTs()))
                      .setFormat(ImageFormat.JPEG)
                      .setImage(ByteBuffer.wrap(f.jpeg()))
                      .build())),
          acked);
    } else {
      deliver(raw(f, partition, f.jpeg()), acked);
    }
  }

  /**
   * Sends a vehicle's telemetry to {@code topic} (Avro {@code VehicleTelemetry}, keyed by vehicle
   * id) on the same producer; counted apart from the frames ({@link #telemetrySent()}).
   */
  public void sendTelemetry(String topic, VehicleTelemetry t) {
    producer.send(
        new ProducerRecord<>(topic, t.getVehicleId(), AvroCodec.encode(t)),
        (md, e) -> (e == null ? telemetrySent : telemetryFailed).incrementAndGet());
  }

  /** Telemetry records acknowledged by the brokers. */
  public long telemetrySent() {
    return telemetrySent.get();
  }

  /** Telemetry records the producer gave up on. */
  public long telemetryFailed() {
    return telemetryFailed.get();
  }

  /**
   * Sends a deliberately damaged copy of {@code f} (its JPEG cut in half, raw with headers), to
   * show the dead-letter path; it counts as sent.
   */
  public void sendTruncated(SimFrame f) {
    ProducerRecord<String, byte[]> r =
        raw(f, null, java.util.Arrays.copyOf(f.jpeg(), f.jpeg().length / 2));
    header(r, "hydra.demo", "truncated on purpose");
    deliver(r, null);
  }

  /** {@code image} as a raw frame with the metadata headers of {@code f}. */
  private ProducerRecord<String, byte[]> raw(SimFrame f, Integer partition, byte[] image) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, partition, f.cameraId(), image);
    header(r, HeaderNames.CAMERA_ID, f.cameraId());
    if (f.vehicleId() != null) {
      header(r, HeaderNames.VEHICLE_ID, f.vehicleId());
    }
    header(r, HeaderNames.FRAME_SEQ, Long.toString(f.seq()));
    header(r, HeaderNames.CAPTURE_TS, Long.toString(f.captureTs()));
    return r;
  }

  private void deliver(
      ProducerRecord<String, byte[]> r, java.util.function.Consumer<Exception> acked) {
    try {
      producer.send(
          r,
          (md, e) -> {
            if (e == null) {
              sent.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
            if (acked != null) {
              acked.accept(e);
            }
          });
    } catch (RuntimeException e) {
      // Thrown by send itself (e.g. closed producer, serialization): counted like a failed ack.
      failed.incrementAndGet();
      if (acked == null) {
        throw e;
      }
      acked.accept(e);
    }
  }

  private static void header(ProducerRecord<?, ?> r, String k, String v) {
    r.headers().add(k, v.getBytes(StandardCharsets.UTF_8));
  }

  /** Frames acknowledged by the brokers. */
  public long sent() {
    return sent.get();
  }

  /** Frames the producer gave up on. */
  public long failed() {
    return failed.get();
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
