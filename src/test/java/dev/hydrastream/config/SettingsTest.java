package dev.hydrastream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @Test
  void defaultsAreValid() {
    Settings s = Settings.of(Map.of());
    assertThat(s.getString(Settings.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
    assertThat(s.getInt(Settings.BATCH_MAX_SIZE)).isEqualTo(8);
    assertThat(s.getString(Settings.OUTPUT_FORMAT)).isEqualTo("avro");
  }

  @Test
  void wrongValuesFailNamingTheSetting() {
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.BATCH_MAX_SIZE, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.max.size");
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.BATCH_MAX_SIZE, "eight")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.max.size");
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.OUTPUT_FORMAT, "xml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("output.format");
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.PROCESSING_GUARANTEE, "exactly_once")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("processing.guarantee");
    assertThatThrownBy(() -> Settings.of(Map.of("batch.size", "8")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.size")
        .hasMessageContaining("unknown setting");
  }

  @Test
  void pollBudgetMustCoverTheWorstBatch() {
    assertThatThrownBy(
            () ->
                Settings.of(
                    Map.of(Settings.MAX_POLL_RECORDS, "100", Settings.PREDICT_TIMEOUT_MS, "5000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max.poll.interval.ms")
        .hasMessageContaining("max.poll.records");
  }

  @Test
  void requiredSettingIsNamed() {
    assertThatThrownBy(() -> Settings.of(Map.of()).require(Settings.BOOTSTRAP_SERVERS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void fileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hydra.properties");
    Files.writeString(file, "batch.max.size=4\nstream.threads=2\nkafka.linger.ms=7\n");
    Settings s =
        Settings.load(
            file,
            Map.of("HYDRA_STREAM_THREADS", "3", "HYDRA_JAVA_OPTS", "-Xmx1g", "PATH", "/bin"),
            Map.of(Settings.OUTPUT_FORMAT, "json"));
    assertThat(s.getInt(Settings.BATCH_MAX_SIZE)).isEqualTo(4);
    assertThat(s.getInt(Settings.STREAM_THREADS)).isEqualTo(3);
    assertThat(s.getString(Settings.OUTPUT_FORMAT)).isEqualTo("json");
    assertThat(s.kafkaOverrides()).containsEntry("linger.ms", "7");
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> Settings.load(dir.resolve("nope.properties"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.properties");
  }

  @Test
  void lateAndOutOfOrderPoliciesAreCheckedAtStart() {
    Settings d = Settings.of(Map.of());
    assertThat(d.getLong(Settings.FRAME_MAX_AGE_MS)).isZero();
    assertThat(d.getString(Settings.FRAME_LATE_POLICY)).isEqualTo("process");
    assertThat(d.getString(Settings.FRAME_OUT_OF_ORDER_POLICY)).isEqualTo("process");
    Settings s =
        Settings.of(
            Map.of(
                Settings.FRAME_LATE_POLICY, "dead-letter",
                Settings.FRAME_OUT_OF_ORDER_POLICY, "dead-letter"));
    assertThat(s.getString(Settings.FRAME_LATE_POLICY)).isEqualTo("dead-letter");
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.FRAME_LATE_POLICY, "drop")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("frame.late.policy")
        .hasMessageContaining("drop");
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.FRAME_OUT_OF_ORDER_POLICY, "dead_letter")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("frame.out.of.order.policy");
    assertThatThrownBy(() -> Settings.of(Map.of(Settings.FRAME_MAX_AGE_MS, "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("frame.max.age.ms");
  }

  @Test
  void markdownTableListsEverySetting() {
    String table = SettingsDocs.markdownTable();
    for (String name : Settings.DEF.names()) {
      assertThat(table).contains("`" + name + "`");
    }
  }

  @Test
  void unknownSettingSuggestsTheClosestOne() {
    assertThatThrownBy(() -> Settings.of(Map.of("batch.max.sise", "8")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.max.sise")
        .hasMessageContaining("did you mean batch.max.size?");
    assertThatThrownBy(() -> Settings.of(Map.of("completely.different", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("did you mean");
  }

  @Test
  void unknownHydraVariablesAreReportedNotApplied() {
    Map<String, String> env =
        Map.of(
            "HYDRA_BATCH_MAX_SISE", "3",
            "HYDRA_BATCH_MAX_SIZE", "4",
            "HYDRA_JAVA_OPTS", "-Xmx1g",
            "HYDRA_KAFKA_LINGER_MS", "5",
            "PATH", "/bin");
    assertThat(Settings.unknownEnvironment(env))
        .containsExactly(
            "HYDRA_BATCH_MAX_SISE is not a setting (did you mean HYDRA_BATCH_MAX_SIZE?); it is"
                + " ignored");
    Settings s = Settings.load(null, env, Map.of());
    assertThat(s.getInt(Settings.BATCH_MAX_SIZE)).isEqualTo(4);
    assertThat(s.kafkaOverrides()).containsEntry("linger.ms", "5");
  }

  @Test
  void missingSettingsFileIsSaidPlainly(@TempDir Path dir) {
    Path file = dir.resolve("nope.properties");
    assertThatThrownBy(() -> Settings.load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("settings file " + file + " does not exist");
  }

  @Test
  void relativeModelDirFallsBackToTheInstallDirectory(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("models/other"));
    Settings s = Settings.of(Map.of(Settings.MODEL_DIR, "models/other"));
    String before = System.getProperty(Settings.HOME_PROPERTY);
    System.setProperty(Settings.HOME_PROPERTY, home.toString());
    try {
      assertThat(s.modelDir()).isEqualTo(home.resolve("models/other"));
      // Present relative to the working directory: used as given.
      assertThat(Settings.of(Map.of()).modelDir()).isEqualTo(Path.of("models/hydranet"));
    } finally {
      if (before == null) {
        System.clearProperty(Settings.HOME_PROPERTY);
      } else {
        System.setProperty(Settings.HOME_PROPERTY, before);
      }
    }
  }

  @Test
  void theLowLatencyProfileSitsUnderEverythingTheUserSets(@TempDir Path dir) throws Exception {
    Map<String, String> profile = Settings.profile("low-latency");
    Settings s = Settings.load(profile, null, Map.of(), Map.of());
    assertThat(s.getLong(Settings.COMMIT_INTERVAL_MS)).isEqualTo(1L);
    assertThat(s.getInt(Settings.BATCH_MAX_WAIT_MS)).isZero();
    assertThat(s.kafkaOverrides()).containsEntry("producer.linger.ms", "0");
    Path file = dir.resolve("s.properties");
    Files.writeString(file, "commit.interval.ms=20\n");
    assertThat(
            Settings.load(profile, file, Map.of(), Map.of()).getLong(Settings.COMMIT_INTERVAL_MS))
        .isEqualTo(20L);
    assertThat(
            Settings.load(profile, null, Map.of("HYDRA_BATCH_MAX_WAIT_MS", "3"), Map.of())
                .getInt(Settings.BATCH_MAX_WAIT_MS))
        .isEqualTo(3);
    assertThat(
            Settings.load(profile, file, Map.of(), Map.of("commit.interval.ms", "7"))
                .getLong(Settings.COMMIT_INTERVAL_MS))
        .isEqualTo(7L);
    assertThat(Settings.profile("default")).isEmpty();
  }

  @Test
  void aProfilesJvmFlagsAreNotSettings() {
    assertThat(Settings.profileJvmOptions("low-latency"))
        .containsExactly("-XX:TieredStopAtLevel=1");
    assertThat(Settings.profile("low-latency")).doesNotContainKey(Settings.PROFILE_JVM_OPTIONS);
    assertThat(Settings.profileJvmOptions("default")).isEmpty();
    assertThatThrownBy(() -> Settings.profileJvmOptions("fast"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--profile");
  }

  @Test
  void anUnknownProfileFailsNamingTheOptionAndTheKnownOnes() {
    assertThatThrownBy(() -> Settings.profile("fast"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--profile")
        .hasMessageContaining("low-latency");
  }
}
