package dev.hydrastream.camera;

import dev.hydrastream.sim.SimFrame;
import java.util.function.Consumer;

/** Where the gateway's frames go: {@code camera.frames} through a FrameProducer, or a test list. */
@FunctionalInterface
public interface FrameSink {

  /**
   * Sends one frame asynchronously.
   *
   * @param acked called once when the frame is acknowledged (null) or given up on (the error)
   */
  void send(SimFrame frame, Consumer<Exception> acked);
}
