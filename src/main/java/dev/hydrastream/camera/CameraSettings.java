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

  /** A copy with other reconnect waits. */
  public CameraSettings withBackoff(Duration initial, Duration max) {
    return new CameraSettings(
        jpegQuality,
        maxWidth,
        fps,
        drop,
        realtime,
        loop,
        rtspTransport,
        ioTimeout,
        initial,
        max,
        maxRequestSize,
        vehicleId,
        ffmpegOptions);
  }

  /** A copy with another record size limit. */
  public CameraSettings withMaxRequestSize(int bytes) {
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
        bytes,
        vehicleId,
        ffmpegOptions);
  }

  /** A copy with other JPEG settings. */
  public CameraSettings withJpeg(int quality, int maxWidth) {
    return new CameraSettings(
        quality,
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

  /** A copy with other playback settings for files. */
  public CameraSettings withPlayback(boolean realtime, boolean loop) {
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

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
