package dev.hydrastream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.wire.KnownSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The record contract of DESIGN.md "Topics and records" as the schema files state it: docs,
 * namespace, the common output fields, and the history snapshots being packaged and known.
 */
class SchemaContractTest {

  private static final List<String> COMMON =
      List.of(
          "frame_id",
          "camera_id",
          "vehicle_id",
          "frame_seq",
          "capture_ts",
          "frame_width",
          "frame_height",
          "model",
          "latency_ms");

  private static final List<String> OUTPUTS =
      List.of(
          "ClassificationResult",
          "SceneResult",
          "DetectionResult",
          "SegmentationResult",
          "PerceptionFrame",
          "TrackResult",
          "ShadowResult");

  /**
   * Outputs derived from frames but keyed by vehicle: the same common fields (name, type, default,
   * order), with docs of their own (camera_id is not their key).
   */
  private static final List<String> VEHICLE_OUTPUTS = List.of("PerceptionEvent", "PerceptionAlert");

  /** What the service reads: the camera frames and the vehicles' telemetry. */
  private static final List<String> INPUTS = List.of("CameraFrame", "VehicleTelemetry");

  /** Every named type and field reachable from {@code s} lacking a doc, as paths. */
  private static void undocumented(Schema s, String path, Set<String> seen, List<String> out) {
    switch (s.getType()) {
      case RECORD, ENUM, FIXED -> {
        if (!seen.add(s.getFullName())) {
          return;
        }
        if (s.getDoc() == null || s.getDoc().isBlank()) {
          out.add(path + " (" + s.getName() + ")");
        }
        if (s.getType() == Schema.Type.RECORD) {
          for (Schema.Field f : s.getFields()) {
            if (f.doc() == null || f.doc().isBlank()) {
              out.add(path + "." + f.name());
            }
            undocumented(f.schema(), path + "." + f.name(), seen, out);
          }
        }
      }
      case UNION -> s.getTypes().forEach(t -> undocumented(t, path, seen, out));
      case ARRAY -> undocumented(s.getElementType(), path + "[]", seen, out);
      case MAP -> undocumented(s.getValueType(), path + "{}", seen, out);
      default -> {}
    }
  }

  @Test
  void everyTypeAndFieldIsDocumentedInOurNamespace() throws IOException {
    Map<String, Schema> sources = SchemaSnapshots.sources();
    // every schema is an input or an output the contract below checks
    assertThat(sources.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(INPUTS, OUTPUTS, VEHICLE_OUTPUTS).flatMap(List::stream).toList());
    List<String> missing = new ArrayList<>();
    for (Schema s : sources.values()) {
      assertThat(s.getNamespace()).isEqualTo("dev.hydrastream.schema");
      undocumented(s, s.getName(), new HashSet<>(), missing);
    }
    assertThat(missing).as("fields and types without doc").isEmpty();
  }

  @Test
  void generatedClassesAreTheSources() throws IOException {
    Map<String, Schema> sources = SchemaSnapshots.sources();
    for (Schema compiled : KnownSchemas.CURRENT) {
      Schema source = sources.get(compiled.getName());
      assertThat(KnownSchemas.fingerprint(compiled)).isEqualTo(KnownSchemas.fingerprint(source));
      for (Schema.Field f : source.getFields()) {
        assertThat(Objects.equals(f.defaultVal(), compiled.getField(f.name()).defaultVal()))
            .as("default of %s.%s", source.getName(), f.name())
            .isTrue();
      }
    }
  }

  @Test
  void outputsStartWithTheSameCommonFields() throws IOException {
    Map<String, Schema> sources = SchemaSnapshots.sources();
    List<Schema.Field> reference = sources.get(OUTPUTS.get(0)).getFields().subList(0, 9);
    assertThat(reference).extracting(Schema.Field::name).containsExactlyElementsOf(COMMON);
    assertThat(reference.get(2).defaultVal()).isNotNull(); // vehicle_id: null by default
    assertThat(reference.get(4).schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
    for (String name : OUTPUTS) {
      List<Schema.Field> common = sources.get(name).getFields().subList(0, 9);
      assertThat(common).as(name).isEqualTo(reference); // name, type, default, order
      assertThat(common)
          .extracting(Schema.Field::doc)
          .containsExactlyElementsOf(reference.stream().map(Schema.Field::doc).toList());
    }
    for (String name : VEHICLE_OUTPUTS) {
      assertThat(sources.get(name).getFields().subList(0, 9)).as(name).isEqualTo(reference);
    }
  }

  @Test
  void theOodScoreIsAnOptionalDoubleOnTheImageLevelRecords() throws IOException {
    Map<String, Schema> sources = SchemaSnapshots.sources();
    for (String name : List.of("PerceptionFrame", "ClassificationResult")) {
      Schema.Field f = sources.get(name).getField("ood_score");
      assertThat(f).as(name).isNotNull();
      assertThat(f.schema().getTypes())
          .extracting(Schema::getType)
          .as(name)
          .containsExactly(Schema.Type.NULL, Schema.Type.DOUBLE);
      assertThat(f.hasDefaultValue()).as(name).isTrue();
      assertThat(f.defaultVal()).as(name).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
      assertThat(f.pos())
          .as(name + ": added last")
          .isEqualTo(sources.get(name).getFields().size() - 1);
    }
  }

  @Test
  void cameraFrameIsTheInputContract() throws IOException {
    Schema frame = SchemaSnapshots.sources().get("CameraFrame");
    assertThat(frame.getFields())
        .extracting(Schema.Field::name)
        .containsExactly("camera_id", "vehicle_id", "frame_seq", "capture_ts", "format", "image");
    assertThat(frame.getField("vehicle_id").schema().isNullable()).isTrue();
    assertThat(frame.getField("format").schema().getEnumSymbols()).containsExactly("JPEG", "PNG");
    assertThat(frame.getField("image").schema().getType()).isEqualTo(Schema.Type.BYTES);
  }

  @Test
  void snapshotsAreConsecutivePackagedAndKnown() throws IOException {
    List<Integer> versions = SchemaSnapshots.versions();
    assertThat(versions).startsWith(1);
    assertThat(SchemaSnapshots.snapshot(versions.get(versions.size() - 1)).keySet())
        .as("the latest snapshot holds every record")
        .containsExactlyInAnyOrderElementsOf(SchemaSnapshots.sources().keySet());
    KnownSchemas known = KnownSchemas.standard();
    for (int v : versions) {
      Map<String, Schema> snapshot = SchemaSnapshots.snapshot(v);
      for (Schema s : snapshot.values()) {
        assertThat(s.getNamespace()).isEqualTo("dev.hydrastream.schema");
        assertThat(KnownSchemas.released(s.getName()))
            .as("v%d %s on the classpath", v, s.getName())
            .containsEntry(v, s);
        assertThat(known.findByFingerprint(KnownSchemas.fingerprint(s))).isNotNull();
      }
    }
    for (Schema current : KnownSchemas.CURRENT) {
      assertThat(KnownSchemas.released(current.getName()).keySet())
          .containsExactlyElementsOf(
              versions.stream()
                  .filter(
                      v ->
                          Files.isRegularFile(
                              SchemaSnapshots.HISTORY
                                  .resolve("v" + v)
                                  .resolve(current.getName() + ".avsc")))
                  .toList());
      assertThat(known.findByFingerprint(KnownSchemas.fingerprint(current))).isSameAs(current);
    }
  }
}
