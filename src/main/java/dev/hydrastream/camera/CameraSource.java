package dev.hydrastream.camera;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One camera of the gateway: its id (the Kafka key and {@code camera_id} header) and where its
 * video comes from.
 *
 * @param id camera id, e.g. {@code cab}
 * @param uri a file path, a URL FFmpeg can open ({@code rtsp://}, {@code http://}, ...) or a V4L2
 *     device ({@code /dev/video0})
 * @param kind what the source is, which decides pacing and reconnects
 */
public record CameraSource(String id, String uri, Kind kind) {

  /** What a source is. */
  public enum Kind {
    /** A recorded clip: ends at its end (or loops), played fast or in real time. */
    FILE,
    /** A network stream (RTSP, HTTP, SRT, ...): live, reconnected with backoff. */
    NETWORK,
    /** A V4L2 capture device: live, reopened with backoff. */
    DEVICE;

    /** Whether the source runs by itself (a live camera) rather than being read at our pace. */
    public boolean live() {
      return this != FILE;
    }
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.+");

  public CameraSource {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "camera id '"
              + id
              + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("camera " + id + ": empty source");
    }
  }

  /** A source of the kind its text says: URL, {@code /dev/video*} device or file. */
  public static CameraSource of(String id, String source) {
    String s = source == null ? "" : source.trim();
    Kind kind;
    if (URL.matcher(s).matches() && !s.toLowerCase(Locale.ROOT).startsWith("file://")) {
      kind = Kind.NETWORK;
    } else if (s.startsWith("/dev/video")) {
      kind = Kind.DEVICE;
    } else {
      kind = Kind.FILE;
      if (s.toLowerCase(Locale.ROOT).startsWith("file://")) {
        s = s.substring("file://".length());
      }
    }
    return new CameraSource(id, s, kind);
  }

  /**
   * Parses {@code ID=SOURCE} (the {@code --camera} option's value).
   *
   * @throws IllegalArgumentException naming what is wrong with {@code spec}
   */
  public static CameraSource parse(String spec) {
    int eq = spec == null ? -1 : spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "'" + spec + "' is not ID=SOURCE (e.g. cab=/dev/video0, front=rtsp://host/stream)");
    }
    return of(spec.substring(0, eq).trim(), spec.substring(eq + 1));
  }

  /**
   * Checks what can be checked before opening: a file exists and is readable.
   *
   * @throws IllegalArgumentException naming the camera and the source
   */
  public CameraSource check() {
    if (kind == Kind.FILE && !Files.isReadable(Path.of(uri))) {
      throw new IllegalArgumentException(
          "camera "
              + id
              + ": source "
              + uri
              + " is not a readable file (nor a URL or /dev/video*)");
    }
    return this;
  }

  @Override
  public String toString() {
    return id + "=" + uri;
  }
}
