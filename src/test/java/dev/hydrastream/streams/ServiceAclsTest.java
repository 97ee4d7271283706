package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.admin.ServiceAcls;
import dev.hydrastream.streams.topics.Topics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The least-privilege set follows the topology: what it reads, what it writes, nothing more. */
class ServiceAclsTest {

  @Test
  void readsWhatTheTopologyReadsAndWritesWhatItWrites() {
    Settings s =
        Settings.of(Map.of(Settings.APPLICATION_ID, "app", Settings.TOPIC_CREATE, "false"));
    Topics t = Topics.of(s);
    List<String> acl = ServiceAcls.required(s).stream().map(Object::toString).toList();
    assertThat(acl)
        .contains(
            "READ on TOPIC " + t.cameraFrames().name(),
            "READ on TOPIC " + t.telemetry().name(),
            // written by the perception step, read back by the events and the latest frames
            "READ on TOPIC " + t.frames().name(),
            "WRITE on TOPIC " + t.frames().name(),
            "WRITE on TOPIC " + t.dlq().name(),
            "WRITE on TOPIC " + t.events().name(),
            "WRITE on TOPIC " + t.alerts().name(),
            "ALL on TOPIC prefixed app",
            "READ on GROUP prefixed app",
            "WRITE on TRANSACTIONAL_ID prefixed app");
    for (Topics.Topic<?, ?> r : t.results()) {
      assertThat(acl).contains("WRITE on TOPIC " + r.name());
    }
    assertThat(acl).noneMatch(a -> a.startsWith("CREATE") || a.contains("CLUSTER"));
    assertThat(acl).doesNotContain("READ on TOPIC " + t.dlq().name());
  }

  @Test
  void createOnlyWithTopicCreateAndTransactionsOnlyUnderExactlyOnce() {
    Settings s =
        Settings.of(
            Map.of(
                Settings.APPLICATION_ID,
                "app",
                Settings.TOPIC_CREATE,
                "true",
                Settings.PROCESSING_GUARANTEE,
                "at_least_once"));
    List<String> acl = ServiceAcls.required(s).stream().map(Object::toString).toList();
    assertThat(acl).contains("CREATE on TOPIC " + Topics.of(s).cameraFrames().name());
    assertThat(acl).noneMatch(a -> a.contains("TRANSACTIONAL_ID"));
  }
}
