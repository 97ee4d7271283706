package dev.hydrastream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.JsonCodec;
import dev.hydrastream.wire.KnownSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution stays backward compatible (DESIGN.md "Topics and records"): data written with
 * any released snapshot ({@code schemas/history/vN}) is readable with the current schema, by Avro's
 * rules and through the service's own decoder. The last test shows the check catches a breaking
 * change.
 */
class SchemaEvolutionTest {

  private static final int SAMPLES = 12;

  private static Schema current(String name) {
    return KnownSchemas.CURRENT.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("snapshot of unknown record " + name));
  }

  /** Why {@code reader} cannot read data written with {@code writer}; empty when it can. */
  static List<String> incompatibilities(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility c =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (c.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return c.getResult().getIncompatibilities().stream()
        .map(i -> i.getLocation() + ": " + i.getType() + " " + i.getMessage())
        .toList();
  }

  static byte[] singleObject(Schema writer, GenericRecord rec) {
    try {
      ByteBuffer buf =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(rec);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Avro's reference resolution of a single-object value from writer to reader schema. */
  static GenericRecord resolve(byte[] bytes, Schema writer, Schema reader) throws IOException {
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(
            null,
            DecoderFactory.get()
                .binaryDecoder(
                    bytes, AvroCodec.HEADER_LENGTH, bytes.length - AvroCodec.HEADER_LENGTH, null));
  }

  /** {@code schema} with one more field, given as JSON, appended. */
  static Schema withField(Schema schema, String fieldJson) throws IOException {
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree(schema.toString());
    ((ArrayNode) json.get("fields")).add(Json.MAPPER.readTree(fieldJson));
    return new Schema.Parser().parse(json.toString());
  }

  @Test
  void everySnapshotIsCompatibleWithTheCurrentSchema() throws IOException {
    int checked = 0;
    for (int v : SchemaSnapshots.versions()) {
      for (Map.Entry<String, Schema> e : SchemaSnapshots.snapshot(v).entrySet()) {
        Schema reader = current(e.getKey());
        assertThat(
                SchemaCompatibility.checkReaderWriterCompatibility(reader, e.getValue()).getType())
            .as("current %s reads v%d: %s", e.getKey(), v, incompatibilities(reader, e.getValue()))
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(SchemaSnapshots.snapshot(1).size());
  }

  @Test
  void snapshotDataDecodesIntoTheCurrentClasses() throws IOException {
    RandomRecords random = new RandomRecords(20240917);
    for (int v : SchemaSnapshots.versions()) {
      for (Map.Entry<String, Schema> e : SchemaSnapshots.snapshot(v).entrySet()) {
        Schema writer = e.getValue();
        Schema reader = current(e.getKey());
        @SuppressWarnings("unchecked")
        Class<? extends SpecificRecord> type =
            (Class<? extends SpecificRecord>) SpecificData.get().getClass(reader);
        for (int i = 0; i < SAMPLES; i++) {
          GenericRecord written = random.record(writer, i == 0);
          byte[] bytes = singleObject(writer, written);
          SpecificRecord decoded = AvroCodec.standard().decode(bytes, type);
          String what = "v" + v + " " + e.getKey() + " sample " + i;
          assertThat(decoded).as(what).isInstanceOf(type);

          ObjectNode got = JsonCodec.toTree(decoded);
          assertThat(got)
              .as(what + " as Avro resolves it")
              .isEqualTo(JsonCodec.toTree(resolve(bytes, writer, reader)));
          ObjectNode original = JsonCodec.toTree(written);
          for (Schema.Field f : writer.getFields()) {
            if (reader.getField(f.name()) != null) {
              assertThat(asWritten(got.get(f.name()), f.schema()))
                  .as(what + " " + f.name())
                  .isEqualTo(original.get(f.name()));
            }
          }
        }
      }
    }
  }

  @Test
  void framesWrittenBeforeTheOodScoreReadItAsNull() throws IOException {
    RandomRecords random = new RandomRecords(5);
    for (String name : List.of("PerceptionFrame", "ClassificationResult")) {
      Schema v4 = SchemaSnapshots.snapshot(4).get(name);
      assertThat(v4.getField("ood_score")).as("v4 " + name).isNull();
      @SuppressWarnings("unchecked")
      Class<? extends SpecificRecord> type =
          (Class<? extends SpecificRecord>) SpecificData.get().getClass(current(name));
      SpecificRecord decoded =
          AvroCodec.standard().decode(singleObject(v4, random.record(v4, false)), type);
      int pos = current(name).getField("ood_score").pos();
      assertThat(decoded.get(pos)).as(name + ".ood_score").isNull();
    }
  }

  /**
   * {@code node} (a decoded value as JSON) with only what the writer's schema {@code s} declares:
   * fields a later version added inside nested records are left out, so the value compares with
   * what was written.
   */
  private static JsonNode asWritten(JsonNode node, Schema s) {
    switch (s.getType()) {
      case RECORD:
        if (!node.isObject()) {
          return node;
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        for (Schema.Field f : s.getFields()) {
          if (node.has(f.name())) {
            record.set(f.name(), asWritten(node.get(f.name()), f.schema()));
          }
        }
        return record;
      case ARRAY:
        if (!node.isArray()) {
          return node;
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        node.forEach(n -> array.add(asWritten(n, s.getElementType())));
        return array;
      case MAP:
        if (!node.isObject()) {
          return node;
        }
        ObjectNode map = Json.MAPPER.createObjectNode();
        node.fields()
            .forEachRemaining(e -> map.set(e.getKey(), asWritten(e.getValue(), s.getValueType())));
        return map;
      case UNION:
        // our unions are [null, T]: a non-null value is a T
        for (Schema branch : s.getTypes()) {
          if (branch.getType() != Schema.Type.NULL && !node.isNull()) {
            return asWritten(node, branch);
          }
        }
        return node;
      default:
        return node;
    }
  }

  @Test
  void theCheckCatchesABreakingChange() throws IOException {
    Schema v1 = SchemaSnapshots.snapshot(1).get("CameraFrame");
    Schema current = current("CameraFrame");
    byte[] bytes = singleObject(v1, new RandomRecords(1).record(v1, false));

    // a field added without a default: old data has no value for it
    Schema broken =
        withField(
            current, "{\"name\": \"exposure_ms\", \"type\": \"double\", \"doc\": \"Exposure.\"}");
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, v1).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    assertThat(incompatibilities(broken, v1))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                    .contains("exposure_ms"));
    assertThatThrownBy(() -> resolve(bytes, v1, broken)).isInstanceOf(AvroTypeException.class);

    // a changed type is caught as well
    Schema narrowed =
        new Schema.Parser()
            .parse(
                current
                    .toString()
                    .replace(
                        "{\"name\":\"frame_seq\",\"type\":\"long\"",
                        "{\"name\":\"frame_seq\",\"type\":\"int\""));
    assertThat(narrowed.getField("frame_seq").schema().getType()).isEqualTo(Schema.Type.INT);
    assertThat(incompatibilities(narrowed, v1)).isNotEmpty();

    // the same field with a default is fine, and old data reads the default
    Schema evolved =
        withField(
            current,
            "{\"name\": \"exposure_ms\", \"type\": \"double\","
                + " \"doc\": \"Exposure.\", \"default\": -1.0}");
    assertThat(incompatibilities(evolved, v1)).isEmpty();
    JsonNode read = JsonCodec.toTree(resolve(bytes, v1, evolved));
    assertThat(read.get("exposure_ms").asDouble()).isEqualTo(-1.0);
  }
}
