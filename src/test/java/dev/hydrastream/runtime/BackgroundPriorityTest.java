package dev.hydrastream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {

  @Test
  void lowersOnlyTheCallingThreadAndWhatItStartsAfterwards() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
    int mine = BackgroundPriority.currentNice();
    AtomicInteger child = new AtomicInteger(-1);
    int lowered =
        BackgroundPriority.callLowered(
            "test-lowered",
            mine + 5,
            () -> {
              Thread t = new Thread(() -> child.set(BackgroundPriority.currentNice()));
              t.start();
              t.join();
              return BackgroundPriority.currentNice();
            });
    assertThat(lowered).isEqualTo(mine + 5);
    assertThat(child.get()).as("a thread started by the lowered one").isEqualTo(mine + 5);
    assertThat(BackgroundPriority.currentNice()).as("the caller").isEqualTo(mine);
  }

  @Test
  void zeroLeavesTheThreadAsItIs() throws Exception {
    int mine = BackgroundPriority.currentNice();
    assertThat(
            BackgroundPriority.callLowered(
                "test-zero", 0, () -> BackgroundPriority.lowerCurrentThread(0)))
        .isFalse();
    assertThat(BackgroundPriority.callLowered("test-zero", 0, BackgroundPriority::currentNice))
        .isEqualTo(mine);
  }

  @Test
  void theWorksFailureReachesTheCaller() {
    assertThatThrownBy(
            () ->
                BackgroundPriority.callLowered(
                    "test-fail",
                    1,
                    () -> {
                      throw new IllegalArgumentException("bad model");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad model");
    assertThatThrownBy(() -> BackgroundPriority.lowerCurrentThread(20)).hasMessageContaining("20");
  }
}
