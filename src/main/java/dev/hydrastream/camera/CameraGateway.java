package dev.hydrastream.camera;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Several cameras in one process: one grabber thread per camera, one shared sink (producer). Open
 * every source first ({@link #open}: a wrong path or URL fails before anything is sent), then
 * {@link #run} until the files end, {@link #stop} is called or the time is up.
 */
public final class CameraGateway implements AutoCloseable {

  static {
    // FFmpeg's own chatter (codec probing, RTP warnings) stays off the console; errors remain.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private final List<CameraRunner> runners = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @throws IllegalArgumentException when two cameras share an id
   */
  public CameraGateway(List<CameraSource> cameras, CameraSettings settings, FrameSink sink) {
    if (cameras.isEmpty()) {
      throw new IllegalArgumentException("no camera: give --camera ID=SOURCE or --source");
    }
    Set<String> ids = new HashSet<>();
    for (CameraSource c : cameras) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException("--camera: camera id " + c.id() + " given twice");
      }
      runners.add(new CameraRunner(c, settings, sink));
    }
  }

  /**
   * Opens every source, in order.
   *
   * @throws IOException naming the first camera and source that cannot be opened
   */
  public CameraGateway open() throws IOException {
    for (CameraRunner r : runners) {
      r.source().check();
      r.open();
    }
    return this;
  }

  /**
   * Runs every camera on a thread of its own until all have ended, {@link #stop} was called or
   * {@code max} has passed (then they are stopped).
   *
   * @return each camera's summary (frames still in flight are counted as sent once acknowledged;
   *     flush the sink, then read {@link #summaries()})
   */
  public List<CameraSummary> run(Duration max) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(runners.size());
    for (CameraRunner r : runners) {
      Thread t =
          new Thread(
              () -> {
                try {
                  r.run();
                } finally {
                  done.countDown();
                }
              },
              "camera-" + r.source().id());
      threads.add(t);
      t.start();
    }
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.await(100, TimeUnit.MILLISECONDS)) {
      if (stopped.getCount() == 0 || System.nanoTime() - deadline > 0) {
        runners.forEach(CameraRunner::stop);
        done.await();
      }
    }
    return summaries();
  }

  /** Asks every camera to stop; {@link #run} returns once they have. */
  public void stop() {
    stopped.countDown();
    runners.forEach(CameraRunner::stop);
  }

  /** Every camera's counters now. */
  public List<CameraSummary> summaries() {
    return runners.stream().map(CameraRunner::summary).toList();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (threads.isEmpty()) {
      // Opened but never run (another camera failed to open): close their sources here.
      runners.forEach(CameraRunner::closeGrabber);
    }
  }
}
