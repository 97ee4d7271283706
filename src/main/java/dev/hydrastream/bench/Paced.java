package dev.hydrastream.bench;

import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.topics.Topics;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A light, paced load: frames sent one by one at a steady rate, capture time = send time. */
final class Paced {

  private Paced() {}

  /**
   * Sends {@code rate * seconds} frames (at least one) to {@code topics}' camera.frames at {@code
   * rate} frames/s, each flushed on its own; {@code frame} gives the {@code i}-th frame for a
   * capture time. Returns the frames sent.
   */
  static long send(String bootstrap, Topics topics, double rate, double seconds, Frame frame)
      throws InterruptedException {
    try (FrameProducer p =
        new FrameProducer(
            bootstrap,
            topics.cameraFrames().name(),
            FrameProducer.Format.AVRO,
            Map.of("linger.ms", 0))) {
      long total = Math.max(1, (long) (rate * seconds));
      long t0 = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long wait = t0 + (long) (i * 1e9 / rate) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        p.send(frame.at(i, System.currentTimeMillis()));
        p.flush();
      }
      return p.sent();
    }
  }

  /** The {@code i}-th frame of a paced load, captured at {@code captureMs}. */
  @FunctionalInterface
  interface Frame {
    SimFrame at(long i, long captureMs);
  }
}
