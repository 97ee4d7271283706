package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.JsonSchemaCheck;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infer} prints what the topics carry: with {@code --json}, one JSON array (also for one
 * image) of records in the {@code perception.frames} JSON shape, the same fields as the record the
 * topology publishes for the same image; a readable table otherwise; and errors that name the file
 * and the reason.
 */
class InferCommandTest {

  private static java.util.Properties streamsConfig(dev.hydrastream.config.Settings s) {
    java.util.Properties p = PerceptionTopology.streamsConfig(s);
    p.put(
        org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG,
        dev.hydrastream.testing.StateDirs.fresh());
    return p;
  }

  @TempDir static Path tmp;
  static Path first;
  static Path second;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @BeforeAll
  static void images() throws Exception {
    first = Files.write(tmp.resolve("first.jpg"), Frames.jpegs(2).get(0));
    second = Files.write(tmp.resolve("second.jpg"), Frames.jpegs(2).get(1));
  }

  @Test
  void jsonIsAlwaysAnArrayOfPerceptionFramesRecords() throws Exception {
    CliRun one = run("infer", "--json", first.toString());
    assertThat(one.code()).as(one.err()).isZero();
    JsonNode single = CliRun.onlyDocument(one.out());
    assertThat(single.isArray()).as("one image: still an array").isTrue();
    assertThat(single).hasSize(1);

    CliRun two = run("infer", "--json", first.toString(), second.toString());
    assertThat(two.code()).as(two.err()).isZero();
    JsonNode both = CliRun.onlyDocument(two.out());
    assertThat(both).hasSize(2);
    for (JsonNode record : both) {
      assertThat(JsonSchemaCheck.problems(PerceptionFrame.getClassSchema(), record)).isEmpty();
    }
    JsonNode r = both.get(1);
    assertThat(r.get("camera_id").asText()).isEqualTo(second.toString());
    assertThat(r.get("frame_seq").asLong()).isEqualTo(1);
    assertThat(r.get("frame_id").asText()).isEqualTo(second + ":1");
    assertThat(r.get("frame_width").asInt()).isPositive();
    assertThat(r.get("model").asText()).isEqualTo("hydranet@3");
    assertThat(r.get("weather").get("label").asText()).isNotEmpty();
    assertThat(r.get("segmentation").get("class_areas").size()).isEqualTo(4);
  }

  @Test
  void jsonHasTheFieldsOfTheRecordTheTopologyPublishesForTheSameImage() throws Exception {
    JsonNode fromInfer = CliRun.onlyDocument(run("infer", "--json", first.toString()).out()).get(0);
    JsonNode fromTopic = Json.MAPPER.readTree(topologyRecord(Files.readAllBytes(first)));
    // infer sees independent images, not a camera's video: it tracks nothing, so its tracks are
    // an empty array where the topology's tracking stage has started tracks on the first frame
    assertThat(fromInfer.get("tracks").isArray()).isTrue();
    assertThat(fromInfer.get("tracks")).isEmpty();
    assertThat(fromTopic.get("tracks").isArray()).isTrue();
    assertThat(withoutTrackFields(paths(fromInfer, "")))
        .isEqualTo(withoutTrackFields(paths(fromTopic, "")));
    for (String head : new String[] {"weather", "timeofday", "scene"}) {
      assertThat(fromInfer.get(head).get("label"))
          .as(head)
          .isEqualTo(fromTopic.get(head).get("label"));
    }
    assertThat(fromInfer.get("detections").size()).isEqualTo(fromTopic.get("detections").size());
  }

  /** The perception.frames value the real topology (output.format=json) gives for one raw JPEG. */
  private static byte[] topologyRecord(byte[] jpeg) {
    Settings s =
        Settings.of(
            Map.of(Settings.BOOTSTRAP_SERVERS, "unused:9092", Settings.OUTPUT_FORMAT, "json"));
    PerceptionModel model =
        PerceptionModel.load(Path.of("models/hydranet"), PerceptionModel.Options.defaults());
    try (Serving serving =
            new Serving(FrameValidator.defaults(), new BatchingPredictor(model, 8, 2, 1));
        TopologyTestDriver driver =
            new TopologyTestDriver(PerceptionTopology.build(s, () -> serving), streamsConfig(s))) {
      Topics topics = new Topics("");
      TestInputTopic<String, byte[]> in =
          driver.createInputTopic(
              topics.cameraFrames().name(), new StringSerializer(), new ByteArraySerializer());
      RecordHeaders h = new RecordHeaders();
      h.add(HeaderNames.CAMERA_ID, "cam-1".getBytes(StandardCharsets.UTF_8));
      h.add(HeaderNames.FRAME_SEQ, "7".getBytes(StandardCharsets.UTF_8));
      h.add(HeaderNames.CAPTURE_TS, "1700000000000".getBytes(StandardCharsets.UTF_8));
      in.pipeInput(new TestRecord<>("cam-1", jpeg, h));
      return driver
          .createOutputTopic(
              topics.frames().name(), new StringDeserializer(), new ByteArrayDeserializer())
          .readValue();
    }
  }

  private static Set<String> withoutTrackFields(Set<String> paths) {
    Set<String> out = new TreeSet<>(paths);
    out.removeIf(p -> p.startsWith(".tracks[]"));
    return out;
  }

  /** Every field path of a document (array elements under {@code []}). */
  private static Set<String> paths(JsonNode n, String prefix) {
    Set<String> out = new TreeSet<>();
    if (n.isObject()) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        out.add(prefix + "." + k);
        out.addAll(paths(n.get(k), prefix + "." + k));
      }
    } else if (n.isArray()) {
      n.forEach(e -> out.addAll(paths(e, prefix + "[]")));
    }
    return out;
  }

  @Test
  void textIsATableOfHeadsAndDetections() {
    CliRun r = run("infer", first.toString(), second.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String header = r.out().lines().filter(l -> l.contains("weather")).findFirst().orElse("");
    assertThat(header).contains("image").contains("timeofday").contains("scene");
    // long paths keep their end, where they differ
    assertThat(r.out()).contains("first.jpg").contains("second.jpg").contains("detections");
    assertThat(r.out()).contains("category").contains("class_areas");
    // no Java map syntax, no raw records
    assertThat(r.out()).doesNotContain("{").doesNotContain("=");
  }

  @Test
  void errorsNameTheFileAndTheReason() throws Exception {
    Path missing = tmp.resolve("missing.jpg");
    CliRun r = run("infer", first.toString(), missing.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains(missing.toString()).contains("no such file");

    byte[] jpeg = Files.readAllBytes(first);
    Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    r = run("infer", cut.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains(cut.toString()).contains("TRUNCATED");

    r = run("infer", tmp.toString());
    assertThat(r.err()).contains(tmp.toString()).contains("is a directory");
  }
}
