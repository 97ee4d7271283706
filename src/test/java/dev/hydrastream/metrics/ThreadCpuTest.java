package dev.hydrastream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU by thread pool: names to pools, /proc parsing, and a busy thread showing in its pool. */
class ThreadCpuTest {

  @Test
  void threadNamesMapToPools() {
    assertThat(ThreadCpu.poolOf("hydrastream-4f2c-StreamThread-3"))
        .isEqualTo(ThreadCpu.Pool.STREAM);
    assertThat(ThreadCpu.poolOf("a-StateUpdater-1")).isEqualTo(ThreadCpu.Pool.STREAM);
    assertThat(ThreadCpu.poolOf("hydra-batcher-0")).isEqualTo(ThreadCpu.Pool.MODEL);
    assertThat(ThreadCpu.poolOf("kafka-producer-network-thread | a-StreamThread-1-producer"))
        .isEqualTo(ThreadCpu.Pool.KAFKA_CLIENT);
    assertThat(ThreadCpu.poolOf("kafka-coordinator-heartbeat-thread | app"))
        .isEqualTo(ThreadCpu.Pool.KAFKA_CLIENT);
    assertThat(ThreadCpu.poolOf("JettyServerThreadPool-42")).isEqualTo(ThreadCpu.Pool.HTTP);
    assertThat(ThreadCpu.poolOf("main")).isEqualTo(ThreadCpu.Pool.OTHER);
  }

  @Test
  void statLineTicksAreUserPlusSystemAfterTheCommandName() {
    // pid (comm with ") " inside) state ppid ... utime=field 14, stime=field 15
    String stat =
        "4242 (C2 ) Compiler) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 30 0 7 0 0";
    assertThat(ThreadCpu.ticks(stat)).isEqualTo(1234 + 56);
  }

  @Test
  void aBusyStreamThreadShowsInTheStreamPool() throws Exception {
    ThreadCpu cpu = new ThreadCpu();
    assumeThat(cpu.available()).as("Linux /proc and thread CPU clocks").isTrue();
    double before = cpu.seconds().get(ThreadCpu.Pool.STREAM);
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread busy =
        new Thread(
            () -> {
              // 0.2 s of its own CPU (however long the busy machine takes to give it that).
              spin(200_000_000L, System.nanoTime() + 60_000_000_000L);
              spun.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "test-StreamThread-1");
    busy.start();
    try {
      assertThat(spun.await(90, TimeUnit.SECONDS)).isTrue();
      Map<ThreadCpu.Pool, Double> after = cpu.seconds();
      assertThat(after.get(ThreadCpu.Pool.STREAM) - before).isGreaterThanOrEqualTo(0.2);
      assertThat(after.get(ThreadCpu.Pool.JVM)).as("GC and JIT threads").isPositive();
    } finally {
      release.countDown();
      busy.join();
    }
  }

  @Test
  void aThreadNamedAtOneReadingKeepsItsPoolAtTheNext() throws Exception {
    ThreadCpu cpu = new ThreadCpu();
    assumeThat(cpu.available()).as("Linux /proc and thread CPU clocks").isTrue();
    java.util.concurrent.Semaphore phase = new java.util.concurrent.Semaphore(0);
    CountDownLatch spun = new CountDownLatch(2);
    Thread busy =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + 120_000_000_000L;
              try {
                for (long target = 200_000_000L; target <= 400_000_000L; target += 200_000_000L) {
                  phase.acquire();
                  spin(target, deadline);
                  spun.countDown();
                }
                phase.acquire(); // stays alive (a thread that ended keeps its last reading)
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "hydra-batcher-test");
    busy.start();
    try {
      phase.release();
      assertThat(awaitCount(spun, 1)).isTrue();
      double first = cpu.seconds().get(ThreadCpu.Pool.MODEL);
      assertThat(first).isGreaterThanOrEqualTo(0.2);
      phase.release();
      assertThat(spun.await(90, TimeUnit.SECONDS)).isTrue();
      assertThat(cpu.seconds().get(ThreadCpu.Pool.MODEL) - first).isGreaterThanOrEqualTo(0.19);
    } finally {
      busy.interrupt();
      busy.join();
    }
  }

  @Test
  void aFrameClockChargesTheThreadsCpuToThePhaseThatSpentIt() {
    ServiceMetrics m = ServiceMetrics.create();
    assumeThat(new ThreadCpu().available()).as("Linux /proc and thread CPU clocks").isTrue();
    FrameClock clock = m.startFrame();
    clock.mark(FrameClock.Phase.DECODE);
    var mx = ManagementFactory.getThreadMXBean();
    // 0.1 s of this thread's CPU in the batch-wait phase, nothing in the phases around it
    spin(mx.getCurrentThreadCpuTime() + 100_000_000L, System.nanoTime() + 60_000_000_000L);
    clock.mark(FrameClock.Phase.BATCH_WAIT);
    clock.mark(FrameClock.Phase.RESULT);
    assertThat(clock.cpuNanos(FrameClock.Phase.BATCH_WAIT)).isGreaterThanOrEqualTo(100_000_000L);
    assertThat(clock.wallNanos(FrameClock.Phase.BATCH_WAIT))
        .isGreaterThanOrEqualTo(clock.cpuNanos(FrameClock.Phase.BATCH_WAIT) - 1_000_000L);
    assertThat(clock.cpuNanos(FrameClock.Phase.RESULT)).isLessThan(50_000_000L);
  }

  /** Waits up to 90 s until {@code latch} is down to {@code count}. */
  private static boolean awaitCount(CountDownLatch latch, long count) throws InterruptedException {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (latch.getCount() > count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return latch.getCount() <= count;
  }

  /** Spins until the calling thread has used {@code cpuNanos} of CPU, or until {@code deadline}. */
  private static void spin(long cpuNanos, long deadline) {
    var clock = ManagementFactory.getThreadMXBean();
    while (clock.getCurrentThreadCpuTime() < cpuNanos && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }
}
