package dev.hydrastream.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress is redrawn in place on a terminal and plain lines elsewhere, the last one always. */
class ProgressLineTest {

  @Test
  void plainLinesWhenNotOnATerminal() {
    StringWriter out = new StringWriter();
    ProgressLine p = new ProgressLine(new PrintWriter(out), false);
    for (int i = 1; i <= 1000; i++) {
      p.show("done " + i + "/1000");
    }
    p.end();
    String text = out.toString();
    assertThat(text).doesNotContain("\r");
    // the first at once, then at most one every 5 s, and the last one at the end
    assertThat(text.lines()).first().isEqualTo("done 1/1000");
    assertThat(text.lines().reduce((a, b) -> b)).hasValue("done 1000/1000");
    assertThat(text.lines().count()).isLessThan(1000);
  }

  @Test
  void oneLineRedrawnOnATerminal() {
    StringWriter out = new StringWriter();
    ProgressLine p = new ProgressLine(new PrintWriter(out), true);
    p.show("a longer first text");
    p.end();
    p.show("short");
    p.end();
    assertThat(out.toString()).isEqualTo("\ra longer first text\n\rshort\n");
  }
}
