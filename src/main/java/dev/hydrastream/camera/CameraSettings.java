package dev.hydrastream.camera;

import java.time.Duration;
import java.util.Map;

/**
 * How the gateway reads and encodes every camera; wrong values fail here, naming the option.
 *
 * @param jpegQuality JPEG quality 1..100 ({@code --jpeg-quality})
 * @param maxWidth largest JPEG width, aspect kept; 0: the source's ({@code --max-width})
 * @param fps frames per second per camera at most, by stream time; 0: every frame ({@code --fps})
 * @param drop which frame of a throttle interval survives ({@code --drop})
 * @param realtime play files at the speed they were recorded ({@code --realtime})
 * @param loop start a file again at its end ({@code --loop})
 * @param rtspTransport {@code tcp} or {@code udp} ({@code --rtsp-transport})
 * @param ioTimeout how long a live source may stay silent before it counts as lost ({@code
 *     --io-timeout})
 * @param backoffInitial first wait before reconnecting ({@code --reconnect-initial})
 * @param backoffMax longest wait between reconnects; the wait doubles up to it ({@code
 *     --reconnect-max})
 * @param maxRequestSize the producer's {@code max.request.size}: no record may be larger
 * @param vehicleId the vehicle the cameras are on ({@code vehicle_id}); null: none
 * @param ffmpegOptions extra FFmpeg input options for every camera ({@code --ffmpeg-option})
 */
public record CameraSettings(
    int jpegQuality,
    int maxWidth,
    double fps,
    DropPolicy drop,
    boolean realtime,
    boolean loop,
    String rtspTransport,
    Duration ioTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    int maxRequestSize,
    String vehicleId,
    Map<String, String> ffmpegOptions) {

  public CameraSettings {
    require(jpegQuality >= 1 && jpegQuality <= 100, "--jpeg-quality must be within 1..100");
    require(maxWidth == 0 || maxWidth >= FrameFitter.MIN_WIDTH, "--max-width must be 0 or >= 160");
    require(fps >= 0 && fps <= 1000, "--fps must be within 0..1000 (0: every frame)");
    require(drop != null, "--drop must be newest or oldest");
    require(
        "tcp".equals(rtspTransport) || "udp".equals(rtspTransport),
        "--rtsp-transport must be tcp or udp");
    require(positive(ioTimeout), "--io-timeout must be positive");
    require(positive(backoffInitial), "--reconnect-initial must be positive");
    require(
        positive(backoffMax) && backoffMax.compareTo(backoffInitial) >= 0,
        "--reconnect-max must be >= --reconnect-initial");
    require(maxRequestSize >= 64 << 10, "max.request.size must be at least 65536");
    ffmpegOptions = Map.copyOf(ffmpegOptions);
  }

  /** The defaults of the {@code camera} command, to change with {@code with*}-style copies. */
  public static CameraSettings defaults() {
    return new CameraSettings(
        85,
        0,
        0,
        DropPolicy.NEWEST,
        false,
        false,
        "tcp",
        Duration.ofSeconds(5),
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        4 << 20,
        null,
        Map.of());
  }

  /** A copy with other throttle settings. */
  public CameraSettings withThrottle(double fps, DropPolicy drop) {
    return toBuilder().optThrottle(fps, drop).build();
  }

  /** A copy with other reconnect waits. */
  public CameraSettings withBackoff(Duration initial, Duration max) {
    return toBuilder().optBackoff(initial, max).build();
  }

  /** A copy with another record size limit. */
  public CameraSettings withMaxRequestSize(int bytes) {
    return toBuilder().optMaxRequestSize(bytes).build();
  }

  /** A copy with other JPEG settings. */
  public CameraSettings withJpeg(int quality, int maxWidth) {
    return toBuilder().optJpeg(quality, maxWidth).build();
  }

  /** A copy with other playback settings for files. */
  public CameraSettings withPlayback(boolean realtime, boolean loop) {
    return toBuilder().optPlayback(realtime, loop).build();
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.jpegQuality = jpegQuality;
    b.maxWidth = maxWidth;
    b.fps = fps;
    b.drop = drop;
    b.realtime = realtime;
    b.loop = loop;
    b.rtspTransport = rtspTransport;
    b.ioTimeout = ioTimeout;
    b.backoffInitial = backoffInitial;
    b.backoffMax = backoffMax;
    b.maxRequestSize = maxRequestSize;
    b.vehicleId = vehicleId;
    b.ffmpegOptions = ffmpegOptions;
    return b;
  }

  /**
   * Builds {@link CameraSettings} (DJL {@code Criteria} style): every setting is optional ({@code
   * opt*}, grouped as the options are) and starts from the settings the builder was made from;
   * {@link #build()} validates, naming the option.
   */
  public static final class Builder {
    private int jpegQuality;
    private int maxWidth;
    private double fps;
    private DropPolicy drop;
    private boolean realtime;
    private boolean loop;
    private String rtspTransport;
    private Duration ioTimeout;
    private Duration backoffInitial;
    private Duration backoffMax;
    private int maxRequestSize;
    private String vehicleId;
    private Map<String, String> ffmpegOptions;

    private Builder() {}

    /** {@code --jpeg-quality} and {@code --max-width}. */
    public Builder optJpeg(int quality, int maxWidth) {
      this.jpegQuality = quality;
      this.maxWidth = maxWidth;
      return this;
    }

    /** {@code --fps} and {@code --drop}. */
    public Builder optThrottle(double fps, DropPolicy drop) {
      this.fps = fps;
      this.drop = drop;
      return this;
    }

    /** {@code --realtime} and {@code --loop}. */
    public Builder optPlayback(boolean realtime, boolean loop) {
      this.realtime = realtime;
      this.loop = loop;
      return this;
    }

    /** {@code --rtsp-transport}. */
    public Builder optRtspTransport(String rtspTransport) {
      this.rtspTransport = rtspTransport;
      return this;
    }

    /** {@code --io-timeout}. */
    public Builder optIoTimeout(Duration ioTimeout) {
      this.ioTimeout = ioTimeout;
      return this;
    }

    /** {@code --reconnect-initial} and {@code --reconnect-max}. */
    public Builder optBackoff(Duration initial, Duration max) {
      this.backoffInitial = initial;
      this.backoffMax = max;
      return this;
    }

    /** The producer's {@code max.request.size}. */
    public Builder optMaxRequestSize(int bytes) {
      this.maxRequestSize = bytes;
      return this;
    }

    /** {@code --vehicle-id}; null: none. */
    public Builder optVehicleId(String vehicleId) {
      this.vehicleId = vehicleId;
      return this;
    }

    /** {@code --ffmpeg-option}. */
    public Builder optFfmpegOptions(Map<String, String> ffmpegOptions) {
      this.ffmpegOptions = ffmpegOptions;
      return this;
    }

    /** The settings; a wrong value fails naming its option. */
    public CameraSettings build() {
      return new CameraSettings(
          jpegQuality,
          maxWidth,
          fps,
          drop,
          realtime,
          loop,
          rtspTransport,
          ioTimeout,
          backoffInitial,
          backoffMax,
          maxRequestSize,
          vehicleId,
          ffmpegOptions);
    }
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
