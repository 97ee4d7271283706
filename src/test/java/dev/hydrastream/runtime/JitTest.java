package dev.hydrastream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class JitTest {

  @Test
  void readsTheTierThisJvmWasStartedWith() {
    boolean quickOnly =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-XX:TieredStopAtLevel="))
            .reduce((a, b) -> b)
            .map(a -> a.endsWith("=1"))
            .orElse(false);
    assertThat(Jit.stopAtLevel() <= 1).isEqualTo(quickOnly);
    assertThat(Jit.describe()).isEqualTo(quickOnly ? "JIT C1 only" : "JIT C1+C2");
  }
}
