package dev.hydrastream.inference;

import ai.djl.inference.Predictor;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.spec.Perception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching of concurrent callers into one model call. Callers (Kafka Streams threads) block
 * in {@link #predict} until their own frame's result is ready, so nothing they consumed is
 * committed before its results are produced; the worker coalesces whatever frames are waiting into
 * one call of up to {@code maxBatch}.
 *
 * <p>A batch is closed when it is full, when no frame is on its way to it (every caller blocked in
 * {@link #predict} is in this batch or a running one, and no caller has {@link #announce announced}
 * a frame it is still decoding, so waiting would only add latency), or {@code maxWait} after its
 * first frame arrived. Frames that arrive while the model runs form the next batch. Announcing
 * matters when frames arrive together: stream threads decode them in parallel, and without it the
 * first decoded frame would run alone while the others are a millisecond away. The count of untaken
 * frames is kept by the workers as they take frames, not by callers as they return: a caller whose
 * result is already out but who has not returned yet must not hold a batch open until {@code
 * maxWait}. Each worker owns one {@link Predictor} (predictors are not thread-safe).
 *
 * <p>{@link #switchTo} replaces the model while frames flow: each worker moves to the new model
 * between two of its model calls, so every batch (and every frame) is answered by one model, and
 * the old model is free to close once every worker has left it.
 */
public final class BatchingPredictor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchingPredictor.class);

  private record Request(
      FrameDecoder.Decoded frame, long enqueuedNanos, CompletableFuture<Prediction> result) {}

  /** Told about every model call (from the worker thread): e.g. to record batch sizes. */
  @FunctionalInterface
  public interface BatchObserver {
    void batch(int frames, long modelNanos);

    BatchObserver NONE = (frames, modelNanos) -> {};
  }

  /**
   * A served model and what its workers need: predictors made (and warmed) ahead of the switch, and
   * a count of the workers that still use it.
   */
  private record Generation(
      PerceptionModel model,
      ConcurrentLinkedQueue<Predictor<FrameDecoder.Decoded, Perception>> ready,
      CountDownLatch left) {}

  private volatile Generation current;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();

  /** Frames submitted and not yet taken into a batch (queued, or being queued). */
  private final AtomicInteger untaken = new AtomicInteger();

  /**
   * Callers that announced a frame they are preparing, with when they did. An announcement older
   * than {@link #ANNOUNCE_TTL_NANOS} is ignored: its caller never submitted (it failed, or went
   * elsewhere), and must not hold every later batch open.
   */
  private final ConcurrentHashMap<Thread, Long> announced = new ConcurrentHashMap<>();

  /**
   * Far longer than any decode (milliseconds); a stale announcement costs each batch at most {@code
   * maxWait} until it expires.
   */
  private static final long ANNOUNCE_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final LongAdder batches = new LongAdder();
  private final LongAdder frames = new LongAdder();
  private final LongAdder waitedOut = new LongAdder();

  /** Longest single wait inside a batching window before the untaken count is checked again. */
  private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final AtomicLong modelNanos = new AtomicLong();
  private final BatchObserver observer;
  private final boolean padSingle;
  private volatile boolean closed;

  /** Set by {@link #warmUp}: the frame each worker runs once on its own predictor. */
  private volatile WarmUpJob warmUpJob;

  private record WarmUpJob(FrameDecoder.Decoded frame, int maxBatch, CountDownLatch done) {}

  /**
   * Starts {@code workers} batching threads.
   *
   * @param maxBatch most frames per model call
   * @param maxWaitMillis longest wait for more frames after a batch's first one
   */
  public BatchingPredictor(PerceptionModel model, int maxBatch, long maxWaitMillis, int workers) {
    this(model, maxBatch, maxWaitMillis, workers, BatchObserver.NONE);
  }

  /**
   * Starts {@code workers} batching threads that report each model call to {@code observer}.
   *
   * @param maxBatch most frames per model call
   * @param maxWaitMillis longest wait for more frames after a batch's first one
   */
  public BatchingPredictor(
      PerceptionModel model,
      int maxBatch,
      long maxWaitMillis,
      int workers,
      BatchObserver observer) {
    this(model, maxBatch, maxWaitMillis, workers, observer, false);
  }

  /**
   * Starts {@code workers} batching threads that report each model call to {@code observer}.
   *
   * @param maxBatch most frames per model call
   * @param maxWaitMillis longest wait for more frames after a batch's first one
   * @param padSingle run a lone frame as a batch of two (the frame twice): on the CPU its outputs
   *     then have the same bits as in any batch of two or more ({@code batch.pad.single},
   *     BatchCompositionTest)
   */
  public BatchingPredictor(
      PerceptionModel model,
      int maxBatch,
      long maxWaitMillis,
      int workers,
      BatchObserver observer,
      boolean padSingle) {
    if (maxBatch < 1 || workers < 1 || maxWaitMillis < 0) {
      throw new IllegalArgumentException("maxBatch and workers must be >= 1, maxWait >= 0");
    }
    this.current =
        new Generation(model, new ConcurrentLinkedQueue<>(), new CountDownLatch(workers));
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.observer = observer;
    this.padSingle = padSingle;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "hydra-batcher-" + i);
      t.setDaemon(true);
      this.workers.add(t);
      t.start();
    }
  }

  /**
   * Counters since start.
   *
   * @param batches model calls
   * @param frames frames predicted
   * @param modelNanos total model time
   * @param waitedOut batches closed because {@code maxWait} ran out while frames were still
   *     expected (a batching window that cost latency)
   */
  public record Stats(long batches, long frames, long modelNanos, long waitedOut) {
    public double meanBatch() {
      return batches == 0 ? 0 : frames / (double) batches;
    }
  }

  public Stats stats() {
    return new Stats(batches.sum(), frames.sum(), modelNanos.get(), waitedOut.sum());
  }

  /** The model new batches run on. */
  public PerceptionModel model() {
    return current.model();
  }

  /** The number of batching workers (each with a predictor of its own). */
  public int workers() {
    return workers.size();
  }

  /**
   * Makes {@code next} the model of every batch that starts from now on, and waits until every
   * worker has left the old one (each finishes the model call it is in first). {@code ready} are
   * predictors of {@code next} made and warmed by the caller, one per worker ({@link #workers()});
   * a worker that finds none makes its own. The caller closes the old model once this returns true.
   *
   * @return the model served before, and whether every worker left it within {@code timeout} (if
   *     not, closing it could fail a model call still running on it)
   */
  public synchronized Switched switchTo(
      PerceptionModel next,
      List<Predictor<FrameDecoder.Decoded, Perception>> ready,
      Duration timeout)
      throws InterruptedException {
    // Synchronized to the end: the next switch starts once every worker is on this one's model,
    // so none skips a generation (whose count of workers would then never reach zero).
    Generation old = current;
    current =
        new Generation(
            next, new ConcurrentLinkedQueue<>(ready), new CountDownLatch(workers.size()));
    boolean left = old.left().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return new Switched(old.model(), left);
  }

  /**
   * What {@link #switchTo} left behind.
   *
   * @param old the model served before the switch
   * @param idle whether no worker uses {@code old} any more (it may be closed)
   */
  public record Switched(PerceptionModel old, boolean idle) {}

  /**
   * Predicts one frame, batched with whatever other callers are waiting; blocks until done.
   *
   * @throws TimeoutException if the result is not ready within {@code timeoutMillis}
   */
  public Perception predict(FrameDecoder.Decoded frame, long timeoutMillis)
      throws InterruptedException, TimeoutException {
    return predictTimed(frame, timeoutMillis).perception();
  }

  /**
   * Like {@link #predict}, with the moments that split the frame's time into batch wait and model
   * call.
   */
  public Prediction predictTimed(FrameDecoder.Decoded frame, long timeoutMillis)
      throws InterruptedException, TimeoutException {
    CompletableFuture<Prediction> f = submit(frame);
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    }
  }

  /**
   * Says that the calling thread is preparing (decoding) a frame it will {@link #submit} next: a
   * batch closing now would leave it out, so batches wait for it as for a queued frame (at most
   * {@code maxWait}). Withdraw it with {@link #withdraw} if the frame is not submitted.
   */
  public void announce() {
    announced.put(Thread.currentThread(), System.nanoTime());
  }

  /** Withdraws the calling thread's {@link #announce} (its frame turned out unusable). */
  public void withdraw() {
    announced.remove(Thread.currentThread());
  }

  /** Queues one frame; the future completes when its batch has run. */
  public CompletableFuture<Prediction> submit(FrameDecoder.Decoded frame) {
    if (closed) {
      throw new IllegalStateException("the batching predictor is closed");
    }
    Request r = new Request(frame, System.nanoTime(), new CompletableFuture<>());
    // Counted as untaken before the announcement goes: a worker never sees neither.
    untaken.incrementAndGet();
    announced.remove(Thread.currentThread());
    queue.add(r);
    return r.result();
  }

  /** Whether a frame is on its way: submitted and untaken, or announced (recently). */
  private boolean framesOnTheirWay() {
    if (untaken.get() > 0) {
      return true;
    }
    long now = System.nanoTime();
    for (long at : announced.values()) {
      if (now - at < ANNOUNCE_TTL_NANOS) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code frame} on every worker's own predictor, at batch 1 (three times) and at {@code
   * maxBatch}, and waits until all have or {@code timeout} passes. A predictor's first calls are
   * slow (TensorFlow sets up the session's run and the translator prepares); done here, they are
   * not a first real frame's. Not counted in the batching statistics nor told to the observer.
   *
   * @return whether every worker finished within {@code timeout}
   */
  public boolean warmUp(FrameDecoder.Decoded frame, int maxBatch, Duration timeout)
      throws InterruptedException {
    WarmUpJob job = new WarmUpJob(frame, Math.max(1, maxBatch), new CountDownLatch(workers.size()));
    warmUpJob = job;
    try {
      return job.done().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      warmUpJob = null;
    }
  }

  private WarmUpJob warmUp(Predictor<FrameDecoder.Decoded, Perception> predictor, WarmUpJob seen) {
    WarmUpJob job = warmUpJob;
    if (job == null || job == seen) {
      return seen;
    }
    try {
      for (int i = 0; i < 3; i++) {
        current.model().predict(predictor, List.of(job.frame()));
      }
      current.model().predict(predictor, Collections.nCopies(job.maxBatch(), job.frame()));
    } catch (RuntimeException e) {
      // The real frames will meet the same failure and report it where it belongs.
      LOG.warn("warm-up of batching worker {} failed: {}", Thread.currentThread().getName(), e);
    } finally {
      job.done().countDown();
    }
    return job;
  }

  private void work() {
    Generation mine = current;
    Predictor<FrameDecoder.Decoded, Perception> predictor = predictorOf(mine);
    try {
      List<Request> batch = new ArrayList<>(maxBatch);
      WarmUpJob warmed = null;
      while (!closed) {
        warmed = warmUp(predictor, warmed);
        Request first;
        try {
          first = queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          break;
        }
        if (current != mine) {
          // Between two model calls: this worker's last call on the old model has finished.
          predictor.close();
          mine.left().countDown();
          mine = current;
          predictor = predictorOf(mine);
        }
        if (first == null) {
          continue;
        }
        batch.clear();
        untaken.decrementAndGet();
        batch.add(first);
        fill(batch, first.enqueuedNanos() + maxWaitNanos);
        run(mine.model(), predictor, batch);
      }
    } catch (RuntimeException e) {
      LOG.error("batching worker failed", e);
    } finally {
      predictor.close();
      mine.left().countDown();
    }
    Request r;
    while ((r = queue.poll()) != null) {
      r.result().completeExceptionally(new IllegalStateException("batching predictor closed"));
    }
  }

  /** A predictor made ahead for this generation's workers, or a new one. */
  private static Predictor<FrameDecoder.Decoded, Perception> predictorOf(Generation g) {
    Predictor<FrameDecoder.Decoded, Perception> p = g.ready().poll();
    return p != null ? p : g.model().newPredictor();
  }

  private void fill(List<Request> batch, long deadline) {
    untaken.addAndGet(-queue.drainTo(batch, maxBatch - batch.size()));
    while (batch.size() < maxBatch && framesOnTheirWay()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        waitedOut.increment();
        return;
      }
      Request next;
      try {
        // In short slices: another worker may take the frame that made untaken positive between
        // our check and its own decrement, and then nothing would wake a long poll early.
        next = queue.poll(Math.min(left, POLL_SLICE_NANOS), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next == null) {
        continue;
      }
      untaken.decrementAndGet();
      batch.add(next);
      untaken.addAndGet(-queue.drainTo(batch, maxBatch - batch.size()));
    }
  }

  private void run(
      PerceptionModel model,
      Predictor<FrameDecoder.Decoded, Perception> predictor,
      List<Request> batch) {
    List<FrameDecoder.Decoded> in = new ArrayList<>(batch.size());
    for (Request r : batch) {
      in.add(r.frame());
    }
    long t0 = System.nanoTime();
    try {
      List<Perception> out =
          padSingle && in.size() == 1
              ? model.predict(predictor, List.of(in.get(0), in.get(0)))
              : model.predict(predictor, in);
      long t1 = System.nanoTime();
      modelNanos.addAndGet(t1 - t0);
      batches.increment();
      frames.add(batch.size());
      observer.batch(batch.size(), t1 - t0);
      for (int i = 0; i < batch.size(); i++) {
        Request r = batch.get(i);
        r.result().complete(new Prediction(out.get(i), r.enqueuedNanos(), t0, t1, batch.size()));
      }
    } catch (RuntimeException e) {
      for (Request r : batch) {
        r.result().completeExceptionally(e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    Predictor<FrameDecoder.Decoded, Perception> unused;
    while ((unused = current.ready().poll()) != null) {
      unused.close();
    }
  }
}
