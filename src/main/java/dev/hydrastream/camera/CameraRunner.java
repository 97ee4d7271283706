package dev.hydrastream.camera;

import dev.hydrastream.sim.SimFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's thread: reads its source with FFmpeg, stamps each frame with a {@code frame_seq} and
 * a capture time from the PTS, thins it to {@code --fps}, encodes a JPEG that fits one record and
 * hands it to the sink. A live source that fails or ends is reopened with exponential backoff; the
 * frame numbers go on across reconnects and the time away is counted as a gap.
 */
final class CameraRunner implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CameraRunner.class);

  /** Bytes a record needs besides the image: batch and record framing, key, headers, Avro. */
  static final int RECORD_OVERHEAD = 512;

  private static final long DEFAULT_INTERVAL_US = 40_000;

  /** A decoded frame between the throttle and the encoder. */
  private record Pending(Frame frame, long seq, long captureTs, boolean owned) {}

  private final CameraSource source;
  private final CameraSettings settings;
  private final FrameSink sink;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CaptureClock clock = new CaptureClock();
  private final int budget;

  private final AtomicLong read = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reencoded = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong gapMs = new AtomicLong();
  private final AtomicLong gapFrames = new AtomicLong();
  private volatile long lostAtMs = -1;
  private volatile long firstCaptureTs;
  private volatile long lastCaptureTs;
  private volatile String state = "running";
  private volatile String error;

  private FFmpegFrameGrabber grabber;
  private long nextSeq;
  private long intervalUs = DEFAULT_INTERVAL_US;
  private long lastPtsUs = Long.MIN_VALUE;
  private long lastFrameWallMs = -1;

  CameraRunner(CameraSource source, CameraSettings settings, FrameSink sink) {
    this.source = source;
    this.settings = settings;
    this.sink = sink;
    int idBytes = source.id().getBytes(StandardCharsets.UTF_8).length;
    int vehicleBytes =
        settings.vehicleId() == null
            ? 0
            : settings.vehicleId().getBytes(StandardCharsets.UTF_8).length;
    this.budget = settings.maxRequestSize() - RECORD_OVERHEAD - 3 * (idBytes + vehicleBytes);
  }

  CameraSource source() {
    return source;
  }

  /**
   * Opens the source for the first time; a failure here is the user's to fix (a wrong path or URL).
   *
   * @throws IOException naming the camera and the source
   */
  void open() throws IOException {
    grabber = start();
  }

  /** Asks the thread to stop after the frame it is reading (or at once while it waits). */
  void stop() {
    stop.countDown();
  }

  private boolean stopping() {
    return stop.getCount() == 0;
  }

  @Override
  public void run() {
    Thread.currentThread().setName("camera-" + source.id());
    try (JpegEncoder encoder = new JpegEncoder(settings.maxWidth())) {
      Throttle<Pending> throttle =
          new Throttle<>(settings.fps(), settings.drop(), p -> send(encoder, p), this::drop);
      while (grabber != null) {
        long before = read.get();
        try {
          pump(throttle);
        } catch (FrameGrabber.Exception | RuntimeException e) {
          if (!source.kind().live()) {
            throw new IOException(
                "camera " + source.id() + ": reading " + source.uri() + " failed: " + e, e);
          }
          LOG.warn("camera {}: source {} lost: {}", source.id(), source.uri(), e.toString());
        } finally {
          throttle.flush();
          closeGrabber();
          clock.newTimeline();
          lastPtsUs = Long.MIN_VALUE;
        }
        if (stopping()) {
          state = "stopped";
        } else if (!source.kind().live()) {
          if (settings.loop() && read.get() > before) {
            grabber = start();
            continue;
          }
          state = "ended";
        } else {
          lostAtMs = lastFrameWallMs >= 0 ? lastFrameWallMs : System.currentTimeMillis();
          grabber = reopen();
          state = grabber == null ? "stopped" : state;
        }
      }
    } catch (IOException | RuntimeException e) {
      state = "failed";
      error = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.error("camera {}: {}", source.id(), error);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state = "stopped";
    } finally {
      closeGrabber();
    }
  }

  /** Reads frames until the source ends (returns) or fails (throws) or a stop is asked. */
  private void pump(Throttle<Pending> throttle)
      throws FrameGrabber.Exception, InterruptedException {
    boolean live = source.kind().live();
    while (!stopping()) {
      Frame f = grabber.grabImage();
      if (f == null) {
        if (live) {
          LOG.warn("camera {}: source {} ended", source.id(), source.uri());
        }
        return;
      }
      if (f.image == null) {
        continue;
      }
      long pts = grabber.getTimestamp();
      long now = System.currentTimeMillis();
      if (lastPtsUs != Long.MIN_VALUE && pts > lastPtsUs) {
        // The stream's own spacing, smoothed: for the gap estimate and the next timeline's start.
        intervalUs = (intervalUs * 7 + Math.min(pts - lastPtsUs, 1_000_000)) / 8;
      }
      lastPtsUs = pts;
      if (lostAtMs >= 0) {
        closeGap(now);
      }
      long ts = clock.captureTs(pts, now, intervalUs / 1000);
      if (settings.realtime() && !live && ts > now && stop.await(ts - now, TimeUnit.MILLISECONDS)) {
        return;
      }
      lastFrameWallMs = System.currentTimeMillis();
      long seq = nextSeq++;
      read.incrementAndGet();
      if (firstCaptureTs == 0) {
        firstCaptureTs = ts;
      }
      lastCaptureTs = ts;
      boolean hold = settings.fps() > 0 && settings.drop() == DropPolicy.OLDEST;
      throttle.offer(new Pending(hold ? f.clone() : f, seq, ts, hold), pts);
    }
  }

  private void closeGap(long nowMs) {
    long gap = Math.max(0, nowMs - lostAtMs - intervalUs / 1000);
    gapMs.addAndGet(gap);
    gapFrames.addAndGet(Math.round(gap * 1000.0 / Math.max(1, intervalUs)));
    LOG.info(
        "camera {}: frames again after a gap of {} s",
        source.id(),
        String.format(Locale.ROOT, "%.1f", gap / 1000.0));
    lostAtMs = -1;
  }

  private void drop(Pending p) {
    dropped.incrementAndGet();
    release(p);
  }

  private void send(JpegEncoder encoder, Pending p) {
    try {
      FrameFitter.Fit fit =
          FrameFitter.fit(
              encoder.of(p.frame()),
              settings.jpegQuality(),
              budget,
              "camera " + source.id() + " frame " + p.seq() + " (capture_ts " + p.captureTs() + ")",
              settings.maxRequestSize());
      if (fit.reencoded()) {
        reencoded.incrementAndGet();
        LOG.debug(
            "camera {} frame {}: re-encoded to {}x{} q{} to fit",
            source.id(),
            p.seq(),
            fit.jpeg().width(),
            fit.jpeg().height(),
            fit.quality());
      }
      sink.send(
          new SimFrame(
              source.id(),
              settings.vehicleId(),
              p.seq(),
              p.captureTs(),
              fit.jpeg().bytes(),
              fit.jpeg().width(),
              fit.jpeg().height(),
              null),
          e -> {
            if (e == null) {
              sent.incrementAndGet();
            } else if (failed.incrementAndGet() <= 10) {
              LOG.warn("camera {} frame {}: not sent: {}", source.id(), p.seq(), e.toString());
            }
          });
    } catch (FrameFitter.TooLargeException e) {
      refused.incrementAndGet();
      LOG.error(e.getMessage());
    } finally {
      release(p);
    }
  }

  private static void release(Pending p) {
    if (p.owned()) {
      p.frame().close();
    }
  }

  /** Reopens a lost live source, waiting longer after each failure; null when asked to stop. */
  private FFmpegFrameGrabber reopen() throws InterruptedException {
    long waitMs = settings.backoffInitial().toMillis();
    long maxMs = settings.backoffMax().toMillis();
    int attempt = 0;
    while (!stop.await(waitMs, TimeUnit.MILLISECONDS)) {
      attempt++;
      try {
        FFmpegFrameGrabber g = start();
        reconnects.incrementAndGet();
        LOG.info("camera {}: reconnected to {} (attempt {})", source.id(), source.uri(), attempt);
        return g;
      } catch (IOException e) {
        waitMs = Math.min(waitMs * 2, maxMs);
        LOG.warn(
            "camera {}: reconnect attempt {} failed ({}); next in {} ms",
            source.id(),
            attempt,
            e.getMessage(),
            waitMs);
      }
    }
    return null;
  }

  /** Opens and starts a grabber on the source with the settings' options. */
  private FFmpegFrameGrabber start() throws IOException {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.uri());
    long timeoutUs = settings.ioTimeout().toNanos() / 1000;
    if (source.kind() == CameraSource.Kind.DEVICE) {
      g.setFormat("video4linux2");
    } else if (source.uri().toLowerCase(Locale.ROOT).startsWith("rtsp")) {
      g.setOption("rtsp_transport", settings.rtspTransport());
      g.setOption("timeout", Long.toString(timeoutUs));
    } else if (source.kind() == CameraSource.Kind.NETWORK) {
      g.setOption("rw_timeout", Long.toString(timeoutUs));
    }
    settings.ffmpegOptions().forEach(g::setOption);
    g.setImageMode(FrameGrabber.ImageMode.COLOR);
    try {
      g.start();
      if (g.getImageWidth() <= 0) {
        throw new IOException("no video stream");
      }
    } catch (IOException | RuntimeException e) {
      try {
        g.release();
      } catch (FrameGrabber.Exception ignored) {
        // Already failing; the open error is the one to report.
      }
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      // javacv's hints about its own API mean nothing to a user of the command.
      int hint = why.indexOf(" (Has setFormat() been called?)");
      why = hint > 0 ? why.substring(0, hint) : why;
      throw new IOException(
          "camera " + source.id() + ": cannot open source " + source.uri() + ": " + why, e);
    }
    double rate = g.getFrameRate();
    if (lastPtsUs == Long.MIN_VALUE && rate > 0 && rate <= 240) {
      intervalUs = Math.round(1_000_000 / rate);
    }
    LOG.info(
        "camera {}: {} {}x{} {} at {} fps",
        source.id(),
        source.uri(),
        g.getImageWidth(),
        g.getImageHeight(),
        g.getVideoCodecName(),
        String.format(Locale.ROOT, "%.2f", rate));
    return g;
  }

  /** Closes the source if it is open (the thread does it itself when it ends). */
  void closeGrabber() {
    if (grabber != null) {
      try {
        grabber.release();
      } catch (FrameGrabber.Exception e) {
        LOG.debug("camera {}: closing the grabber: {}", source.id(), e.toString());
      }
      grabber = null;
    }
  }

  /** What the camera did so far; a gap still open counts up to now. */
  CameraSummary summary() {
    long lost = lostAtMs;
    long openGap = lost >= 0 ? Math.max(0, System.currentTimeMillis() - lost) : 0;
    return new CameraSummary(
        source.id(),
        source.uri(),
        state,
        error,
        read.get(),
        sent.get(),
        failed.get(),
        dropped.get(),
        reencoded.get(),
        refused.get(),
        reconnects.get(),
        (gapMs.get() + openGap) / 1000.0,
        gapFrames.get() + Math.round(openGap * 1000.0 / Math.max(1, intervalUs)),
        firstCaptureTs,
        lastCaptureTs);
  }
}
