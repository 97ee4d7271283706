package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.streams.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The code's topology must equal the committed description in {@code topologies/}: node names and
 * topics are what a running application's state and offsets are tied to, so a change must be
 * deliberate (re-run {@code ./hydrastream topology describe} and commit the diff).
 */
class TopologyDescriptionTest {

  @Test
  void codeMatchesCommittedDescription() throws Exception {
    Path committed = Path.of("topologies", TopologyDocs.TEXT_FILE);
    assertThat(committed).exists();
    assertThat(TopologyDocs.text(TopologyDocs.defaultTopology()))
        .as("topology changed: run `./hydrastream topology describe` and commit topologies/")
        .isEqualTo(Files.readString(committed));
  }

  @Test
  void mermaidDiagramIsCurrent() throws Exception {
    Path committed = Path.of("topologies", TopologyDocs.MERMAID_FILE);
    assertThat(TopologyDocs.mermaid(TopologyDocs.defaultTopology(), new Topics("")))
        .isEqualTo(Files.readString(committed));
  }
}
