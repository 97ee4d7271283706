package dev.hydrastream.camera;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Video clips of real street frames (Debian's labelme examples, 1000x563), encoded at test time by
 * Debian's ffmpeg; tests that need one are skipped where ffmpeg or the frames are missing.
 */
public final class TestClips {

  /** The real frames: 5 consecutive street frames of a dash camera. */
  public static final Path FRAMES =
      Path.of("/usr/share/doc/labelme-examples/examples/video_annotation/data_annotated");

  private TestClips() {}

  /** Skips the calling test unless ffmpeg and the frames are there. */
  public static void assumeAvailable() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg not installed");
    assumeTrue(Files.isReadable(FRAMES.resolve("00000100.jpg")), "labelme-examples not installed");
  }

  /**
   * Encodes the frames, repeated {@code rounds} times, at {@code fps} into {@code out}.
   *
   * @param codec an ffmpeg encoder: libx264, libx265 or mjpeg
   * @return {@code out}; it holds {@code 5 * rounds} frames
   */
  public static Path encode(Path out, String codec, int fps, int rounds)
      throws IOException, InterruptedException {
    assumeAvailable();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/ffmpeg",
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-framerate",
                Integer.toString(fps),
                "-stream_loop",
                Integer.toString(rounds - 1),
                "-pattern_type",
                "glob",
                "-i",
                FRAMES + "/*.jpg",
                // yuv420p needs even sizes: 1000x563 becomes 1000x562.
                "-vf",
                "scale=trunc(iw/2)*2:trunc(ih/2)*2",
                "-c:v",
                codec));
    if (codec.startsWith("libx26")) {
      cmd.addAll(List.of("-pix_fmt", "yuv420p", "-g", Integer.toString(fps)));
    } else {
      cmd.addAll(List.of("-q:v", "3"));
    }
    if (codec.equals("libx265")) {
      cmd.addAll(List.of("-x265-params", "log-level=error"));
    }
    cmd.add(out.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffmpeg failed to encode " + out + ": " + log);
    }
    return out;
  }
}
