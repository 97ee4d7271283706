package dev.hydrastream.cli;

import dev.hydrastream.camera.CameraGateway;
import dev.hydrastream.camera.CameraSettings;
import dev.hydrastream.camera.CameraSource;
import dev.hydrastream.camera.CameraSummary;
import dev.hydrastream.camera.DropPolicy;
import dev.hydrastream.sim.FrameProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code camera}: real cameras (video files, RTSP, V4L2) into camera.frames through FFmpeg. */
@Command(
    name = "camera",
    mixinStandardHelpOptions = true,
    description =
        "Video files (H.264, H.265, MJPEG, ...), RTSP feeds and V4L2 devices decoded with FFmpeg"
            + " and published to camera.frames, one JPEG per frame, capture_ts from the stream's"
            + " PTS. See docs/cameras.md.")
final class CameraCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JsonOption json;

  @Option(
      names = "--camera",
      paramLabel = "ID=SOURCE",
      description =
          "A camera: its id and a file, URL (rtsp://...) or device (/dev/video0). Repeatable:"
              + " each camera reads on a thread of its own.")
  List<String> cameras = new ArrayList<>();

  @Option(
      names = "--source",
      paramLabel = "FILE|URL|DEVICE",
      description = "One camera's source (with --camera-id), instead of --camera.")
  String source;

  @Option(
      names = "--camera-id",
      defaultValue = "cam-0",
      description = "The id of the --source camera (default: ${DEFAULT-VALUE}).")
  String cameraId;

  @Option(
      names = "--vehicle-id",
      description = "The vehicle the cameras are on (vehicle_id); default: none.")
  String vehicleId;

  @Mixin ProducerOptions target;

  @Option(
      names = "--format",
      defaultValue = "raw",
      description =
          "Frame wire format: raw (JPEG + headers) or avro (CameraFrame) (default:"
              + " ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "85",
      description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Option(
      names = "--max-width",
      defaultValue = "0",
      description = "Scale frames down to this width, aspect kept; 0: as decoded (default: 0).")
  int maxWidth;

  @Option(
      names = "--fps",
      defaultValue = "0",
      description =
          "At most this many frames/s per camera, by stream time; 0: every frame (default: 0).")
  double fps;

  @Option(
      names = "--drop",
      defaultValue = "newest",
      description =
          "With --fps, which frames of an interval drop: newest (keep the first, no delay) or"
              + " oldest (keep the last, one source frame later) (default: ${DEFAULT-VALUE}).")
  String drop;

  @Option(
      names = "--realtime",
      description = "Play files at their recorded speed (default: as fast as they decode).")
  boolean realtime;

  @Option(names = "--loop", description = "Start files again at their end.")
  boolean loop;

  @Option(
      names = "--rtsp-transport",
      defaultValue = "tcp",
      description = "RTSP over tcp or udp (default: ${DEFAULT-VALUE}).")
  String rtspTransport;

  @Option(
      names = "--io-timeout",
      defaultValue = "5s",
      description = "A live source silent this long is lost (default: ${DEFAULT-VALUE}).")
  Duration ioTimeout;

  @Option(
      names = "--reconnect-initial",
      defaultValue = "500ms",
      description = "First wait before reconnecting a lost source (default: ${DEFAULT-VALUE}).")
  Duration backoffInitial;

  @Option(
      names = "--reconnect-max",
      defaultValue = "10s",
      description =
          "Longest wait between reconnects; the wait doubles up to it (default:"
              + " ${DEFAULT-VALUE}).")
  Duration backoffMax;

  @Option(
      names = "--ffmpeg-option",
      paramLabel = "KEY=VALUE",
      description =
          "Extra FFmpeg input option for every camera (e.g. input_format=mjpeg,"
              + " video_size=1280x720 for V4L2).")
  Map<String, String> ffmpegOptions = new LinkedHashMap<>();

  @Option(
      names = "--duration",
      description = "Stop after this long (e.g. 60s); default: until the files end or Ctrl-C.")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    List<CameraSource> sources = sources();
    CameraSettings settings = settings();
    String topic = target.topics().cameraFrames().name();
    FrameProducer.Format wire;
    try {
      wire = FrameProducer.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }
    try (FrameProducer producer =
            new FrameProducer(target.bootstrap, topic, wire, target.settings);
        CameraGateway gateway = new CameraGateway(sources, settings, producer::sendAcked).open()) {
      StopSignals.onStop("camera", gateway::stop);
      if (!json.enabled()) {
        spec.commandLine()
            .getErr()
            .printf("camera: %d camera(s) -> %s on %s%n", sources.size(), topic, target.bootstrap);
      }
      gateway.run(duration == null ? Duration.ofDays(3650) : duration);
      producer.flush();
      List<CameraSummary> summaries = gateway.summaries();
      json.print(summaries);
      boolean bad =
          summaries.stream()
              .anyMatch(s -> s.failed() + s.refused() > 0 || "failed".equals(s.state()));
      return bad ? 1 : 0;
    }
  }

  private List<CameraSource> sources() {
    List<CameraSource> out = new ArrayList<>();
    try {
      for (String c : cameras) {
        out.add(CameraSource.parse(c));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--camera: " + e.getMessage());
    }
    if (source != null) {
      try {
        out.add(CameraSource.of(cameraId, source));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--source/--camera-id: " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give --camera ID=SOURCE (repeatable) or --source FILE|URL|DEVICE");
    }
    return out;
  }

  private CameraSettings settings() {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new ParameterException(spec.commandLine(), "--duration must be positive");
    }
    int maxRequest = FrameProducer.DEFAULT_MAX_REQUEST_SIZE;
    String configured = target.settings.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    try {
      if (configured != null) {
        maxRequest = Integer.parseInt(configured.trim());
      }
      return CameraSettings.builder()
          .optJpeg(jpegQuality, maxWidth)
          .optThrottle(fps, DropPolicy.parse(drop))
          .optPlayback(realtime, loop)
          .optRtspTransport(rtspTransport)
          .optIoTimeout(ioTimeout)
          .optBackoff(backoffInitial, backoffMax)
          .optMaxRequestSize(maxRequest)
          .optVehicleId(vehicleId)
          .optFfmpegOptions(ffmpegOptions)
          .build();
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--producer max.request.size must be a number of bytes");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
