package dev.hydrastream.util;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The progress of a long command on stderr: on a terminal one line redrawn in place (carriage
 * return) as often as every 100 ms; anywhere else (a log file, a pipe, CI) plain lines, at most one
 * every 5 s plus the last one, so logs hold readable lines instead of one line of {@code \r}
 * fragments.
 */
public final class ProgressLine {

  private static final long REDRAW_NANOS = 100_000_000L;
  private static final long PLAIN_NANOS = 5_000_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private long lastShown = Long.MIN_VALUE;
  private int drawnLength;
  private String pending;

  public ProgressLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Progress on {@code out}, which is (or stands for) the process's stderr. */
  public static ProgressLine onStderr(PrintWriter out) {
    return new ProgressLine(out, stderrIsTerminal());
  }

  /**
   * Whether stderr is a terminal: on Linux, file descriptor 2 links to a {@code /dev/pts} or {@code
   * /dev/tty} device; elsewhere, whether the JVM has a console.
   */
  public static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Shows {@code text} as the current progress (or keeps it for later when shown too recently). */
  public synchronized void show(String text) {
    long now = System.nanoTime();
    if (lastShown != Long.MIN_VALUE && now - lastShown < (terminal ? REDRAW_NANOS : PLAIN_NANOS)) {
      pending = text;
      return;
    }
    draw(text);
    lastShown = now;
  }

  /** Ends the progress: the last text is shown and the line finished. */
  public synchronized void end() {
    if (pending != null) {
      draw(pending);
    }
    if (terminal && drawnLength > 0) {
      out.println();
    }
    out.flush();
    drawnLength = 0;
    lastShown = Long.MIN_VALUE;
  }

  private void draw(String text) {
    pending = null;
    if (terminal) {
      // Spaces erase what a longer previous text left behind.
      out.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
      drawnLength = text.length();
    } else {
      out.println(text);
    }
    out.flush();
  }
}
