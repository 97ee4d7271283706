package dev.hydrastream.demo;

import dev.hydrastream.config.Settings;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.control.ControlRecords;
import dev.hydrastream.streams.control.ModelControl;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The demo's switcher ({@code --switch-model}): a thread that, {@code every} after the previous
 * switch's answer, puts an activation on perception.control as {@code model activate} does ({@link
 * ModelControl#request}), alternating between the started model and the candidate, and waits for
 * the service's answer on perception.model-status ({@link ModelControl#await}).
 */
final class ModelSwitcher {

  /** Longest wait for the service's answer to one activation. */
  private static final Duration ANSWER_WAIT = Duration.ofMinutes(3);

  private final Settings settings;
  private final ModelCard started;
  private final ModelCard candidate;
  private final int switches;
  private final Duration every;
  private final PrintWriter log;
  private final CountDownLatch finishing = new CountDownLatch(1);
  private final List<ModelSwitches.Requested> requested = new ArrayList<>();
  private final Thread thread;
  private volatile Exception failure;

  ModelSwitcher(
      Settings settings,
      ModelCard started,
      ModelCard candidate,
      int switches,
      Duration every,
      PrintWriter log) {
    this.settings = settings;
    this.started = started;
    this.candidate = candidate;
    this.switches = switches;
    this.every = every;
    this.log = log;
    this.thread = new Thread(this::loop, "demo-model-switcher");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Starts no further switch, waits for the one under way to be answered, and returns every switch
   * requested.
   *
   * @throws IllegalStateException when an activation could not be put on perception.control
   */
  List<ModelSwitches.Requested> finish() throws InterruptedException {
    finishing.countDown();
    thread.join(ANSWER_WAIT.toMillis() + 60_000);
    if (failure != null) {
      throw new IllegalStateException("model switch: " + failure.getMessage(), failure);
    }
    synchronized (requested) {
      return List.copyOf(requested);
    }
  }

  private void loop() {
    try {
      for (int n = 1; n <= switches; n++) {
        if (finishing.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        ModelSwitches.Requested r =
            n % 2 == 1 ? activate(n, started, candidate) : activate(n, candidate, started);
        synchronized (requested) {
          requested.add(r);
        }
        log.printf(
            "demo: switch %d/%d %s -> %s: %s in %d ms%s%n",
            n,
            switches,
            r.from(),
            r.to(),
            r.outcome(),
            r.answeredAtMs() - r.requestedAtMs(),
            r.reason() == null ? "" : " (" + r.reason() + ")");
        log.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Requests the activation of {@code to} and waits for the service's answer. */
  private ModelSwitches.Requested activate(int n, ModelCard from, ModelCard to)
      throws InterruptedException {
    String request = UUID.randomUUID().toString();
    long at = System.currentTimeMillis();
    ModelControl.request(settings, ControlRecords.Activate.of(to.name(), to.version(), request));
    for (ControlRecords.Status s : ModelControl.await(settings, request, ANSWER_WAIT).values()) {
      ControlRecords.LastActivation last = s.last();
      if (last != null && request.equals(last.request())) {
        return new ModelSwitches.Requested(
            n, from.id(), to.id(), request, last.outcome(), last.reason(), at, last.at());
      }
    }
    return new ModelSwitches.Requested(
        n,
        from.id(),
        to.id(),
        request,
        "no answer",
        "none within " + ANSWER_WAIT.toSeconds() + " s",
        at,
        System.currentTimeMillis());
  }
}
