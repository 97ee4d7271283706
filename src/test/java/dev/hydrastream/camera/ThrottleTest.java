package dev.hydrastream.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  private final List<Long> sent = new ArrayList<>();
  private final List<Long> dropped = new ArrayList<>();

  private Throttle<Long> throttle(double fps, DropPolicy policy) {
    return new Throttle<>(fps, policy, sent::add, dropped::add);
  }

  /** Frames at {@code fps} for {@code count} frames, PTS in µs (rounded like a 30 fps stream). */
  private static void feed(Throttle<Long> t, double fps, int count, long startUs) {
    for (int i = 0; i < count; i++) {
      long pts = startUs + Math.round(i * 1_000_000 / fps);
      t.offer(pts, pts);
    }
  }

  @Test
  void withoutATargetRateEveryFrameIsSent() {
    Throttle<Long> t = throttle(0, DropPolicy.NEWEST);
    feed(t, 30, 10, 0);
    assertThat(sent).hasSize(10);
    assertThat(dropped).isEmpty();
  }

  @Test
  void newestKeepsTheFirstFrameOfEachInterval() {
    Throttle<Long> t = throttle(10, DropPolicy.NEWEST);
    feed(t, 30, 30, 0);
    t.flush();
    assertThat(sent).hasSize(10).first().isEqualTo(0L);
    assertThat(sent)
        .containsExactly(
            0L, 100_000L, 200_000L, 300_000L, 400_000L, 500_000L, 600_000L, 700_000L, 800_000L,
            900_000L);
    assertThat(sent.size() + dropped.size()).isEqualTo(30);
  }

  @Test
  void newestOnAnUnevenRatioStillAveragesTheTarget() {
    Throttle<Long> t = throttle(10, DropPolicy.NEWEST);
    feed(t, 25, 250, 0);
    assertThat(sent).hasSize(100);
    assertThat(dropped).hasSize(150);
  }

  @Test
  void oldestKeepsTheLastFrameOfEachInterval() {
    Throttle<Long> t = throttle(10, DropPolicy.OLDEST);
    feed(t, 30, 30, 0);
    // The last interval's frame is held until the timeline ends.
    assertThat(sent).hasSize(9);
    t.flush();
    assertThat(sent).hasSize(10);
    assertThat(sent).startsWith(66_667L, 166_667L, 266_667L).endsWith(966_667L);
    assertThat(dropped).hasSize(20);
  }

  @Test
  void aSlowerSourceThanTheTargetLosesNothing() {
    for (DropPolicy p : DropPolicy.values()) {
      sent.clear();
      dropped.clear();
      Throttle<Long> t = throttle(10, p);
      feed(t, 5, 20, 123_456);
      t.flush();
      assertThat(sent).as(p.name()).hasSize(20);
      assertThat(dropped).as(p.name()).isEmpty();
    }
  }

  @Test
  void aPtsGoingBackStartsANewTimeline() {
    Throttle<Long> t = throttle(10, DropPolicy.NEWEST);
    feed(t, 30, 15, 5_000_000);
    int before = sent.size();
    feed(t, 30, 15, 0); // a loop or reconnect: the PTS starts again
    assertThat(sent.get(before)).isEqualTo(0L);
    assertThat(sent).hasSize(before * 2);
  }

  @Test
  void afterAPauseTheGridRestartsWithoutABurst() {
    Throttle<Long> t = throttle(10, DropPolicy.NEWEST);
    feed(t, 30, 30, 0);
    int before = sent.size();
    feed(t, 30, 30, 5_000_000); // 4 s later
    assertThat(sent.size() - before).isEqualTo(10);
    assertThat(sent.get(before)).isEqualTo(5_000_000L);
  }

  @Test
  void dropPolicyParsesAndNamesTheOption() {
    assertThat(DropPolicy.parse(" Oldest ")).isEqualTo(DropPolicy.OLDEST);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DropPolicy.parse("middle"))
        .hasMessageContaining("--drop")
        .hasMessageContaining("middle");
  }
}
