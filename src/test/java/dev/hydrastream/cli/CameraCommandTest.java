package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code camera} command's option parsing: wrong values fail at start, naming the option. */
class CameraCommandTest {

  private static CliRun camera(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "camera";
    all[1] = "--bootstrap";
    all[2] = "127.0.0.1:1";
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.of(all);
  }

  @Test
  void helpListsEveryOption() {
    CliRun r = CliRun.of("camera", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "--camera=ID=SOURCE",
            "--source",
            "--camera-id",
            "--jpeg-quality",
            "--max-width",
            "--fps",
            "--drop",
            "--realtime",
            "--loop",
            "--rtsp-transport",
            "--reconnect-initial",
            "--reconnect-max",
            "--io-timeout",
            "--json",
            "--format",
            "--producer");
  }

  @Test
  void aBadCameraSpecNamesTheOption() {
    CliRun r = camera("--camera", "front");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--camera").contains("'front' is not ID=SOURCE");
    r = camera("--camera", "bad id!=/dev/video0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--camera").contains("bad id!");
  }

  @Test
  void noCameraIsAnError() {
    CliRun r = camera();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--camera ID=SOURCE").contains("--source");
  }

  @Test
  void twoCamerasWithOneIdAreAnError() {
    CliRun r = camera("--camera", "a=x.mp4", "--camera", "a=y.mp4");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("camera id a given twice");
  }

  @Test
  void wrongValuesNameTheirOption() {
    assertThat(camera("--source", "x.mp4", "--jpeg-quality", "0").err()).contains("--jpeg-quality");
    assertThat(camera("--source", "x.mp4", "--drop", "middle").err()).contains("--drop");
    assertThat(camera("--source", "x.mp4", "--fps", "-1").err()).contains("--fps");
    assertThat(camera("--source", "x.mp4", "--max-width", "20").err()).contains("--max-width");
    assertThat(camera("--source", "x.mp4", "--rtsp-transport", "http").err())
        .contains("--rtsp-transport");
    assertThat(
            camera("--source", "x.mp4", "--reconnect-initial", "5s", "--reconnect-max", "1s").err())
        .contains("--reconnect-max");
    assertThat(camera("--source", "x.mp4", "--format", "png").err()).contains("--format");
    assertThat(camera("--source", "x.mp4", "--producer", "max.request.size=lots").err())
        .contains("max.request.size");
  }

  @Test
  void aMissingFileNamesTheCameraAndTheSource() {
    CliRun r = camera("--camera", "rear=/nonexistent/clip.mp4");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("camera rear").contains("/nonexistent/clip.mp4");
  }
}
