package dev.hydrastream.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.schema.DetectionResult;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SegmentationResult;
import dev.hydrastream.streams.topics.ResultRecordsTest;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The plain JSON form: shape checks and a lossless round trip of every record. */
class JsonCodecTest {

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void fieldsAreTheSchemaFieldsInSchemaOrder() {
    for (SpecificRecord r : Samples.records()) {
      JsonNode json = Decoded.decodeJson(JsonCodec.encode(r));
      assertThat(json.isObject()).isTrue();
      assertThat(fieldNames(json))
          .as(r.getSchema().getName())
          .containsExactlyElementsOf(
              r.getSchema().getFields().stream().map(Schema.Field::name).toList());
    }
  }

  @Test
  void valuesArePlainJson() {
    CameraFrame frame = Samples.frame("veh-9");
    JsonNode json = Decoded.decodeJson(JsonCodec.encode(frame));
    assertThat(json.get("vehicle_id").isTextual()).as("no union wrapper").isTrue();
    assertThat(json.get("vehicle_id").asText()).isEqualTo("veh-9");
    assertThat(json.get("capture_ts").isIntegralNumber()).isTrue();
    assertThat(json.get("capture_ts").asLong()).isEqualTo(1_700_000_000_123L);
    assertThat(json.get("frame_seq").asLong()).isEqualTo(42);
    assertThat(json.get("format").asText()).isEqualTo("PNG");
    assertThat(Base64.getDecoder().decode(json.get("image").asText()))
        .isEqualTo(ResultRecordsTest.bytes(frame.getImage()));
    assertThat(Decoded.decodeJson(JsonCodec.encode(Samples.frame(null))).get("vehicle_id").isNull())
        .isTrue();

    String text = new String(JsonCodec.encode(Samples.records().get(6)), StandardCharsets.UTF_8);
    assertThat(text)
        .doesNotContain("\n")
        .doesNotContain("\"string\":")
        .doesNotContain("dev.hydrastream.schema");
    JsonNode fused = Decoded.decodeJson(text.getBytes(StandardCharsets.UTF_8));
    JsonNode weather = fused.get("weather");
    assertThat(fieldNames(weather)).containsExactly("label", "score", "scores");
    assertThat(weather.get("score").floatValue()).isEqualTo(0.7f);
    assertThat(weather.get("scores").isObject()).isTrue();
    assertThat(weather.get("scores").get("rainy").floatValue()).isEqualTo(0.7f);
    JsonNode det = fused.get("detections").get(0);
    assertThat(det.get("category").asText()).isEqualTo("car");
    assertThat(det.get("class_id").asInt()).isEqualTo(2);
    assertThat(det.get("box").get("x1").floatValue()).isEqualTo(100.5f);
    assertThat(fused.get("latency_ms").asDouble()).isEqualTo(Samples.LATENCY_MS);
    assertThat(fused.get("ood_score").isNumber()).as("no union wrapper").isTrue();
    assertThat(fused.get("ood_score").asDouble()).isEqualTo(Samples.OOD_SCORE);
    JsonNode classification = Decoded.decodeJson(JsonCodec.encode(Samples.records().get(2)));
    assertThat(classification.get("ood_score").asDouble()).isEqualTo(Samples.OOD_SCORE);

    JsonNode partial = Decoded.decodeJson(JsonCodec.encode(Samples.records().get(8)));
    assertThat(partial.get("vehicle_id").isNull()).isTrue();
    assertThat(partial.get("weather").isNull()).isTrue();
    assertThat(partial.get("segmentation").isNull()).isTrue();
    assertThat(partial.has("ood_score")).isTrue();
    assertThat(partial.get("ood_score").isNull()).as("a model without the output").isTrue();
  }

  @Test
  void maskPngDecodesToTheMask() {
    SegmentationResult seg = (SegmentationResult) Samples.records().get(5);
    JsonNode mask = Decoded.decodeJson(JsonCodec.encode(seg)).get("mask");
    int w = mask.get("width").asInt();
    int h = mask.get("height").asInt();
    assertThat(w).isEqualTo(192);
    assertThat(h).isEqualTo(108);
    assertThat(mask.get("classes").get(3).asText()).isEqualTo("lane marking");
    byte[] png = Base64.getDecoder().decode(mask.get("png").asText());
    int[] shape = new int[4];
    byte[] pixels = ResultRecordsTest.decodePng(png, shape);
    assertThat(shape[0]).isEqualTo(w);
    assertThat(shape[1]).isEqualTo(h);
    assertThat(shape[2]).isEqualTo(1);
    assertThat(pixels).isEqualTo(Samples.segmentation().toFrameGrid(w, h));
    assertThat(mask.get("class_areas").get("background").floatValue())
        .isEqualTo(seg.getMask().getClassAreas().get("background"));
  }

  @Test
  void nullInARequiredFieldIsRefusedNamingIt() {
    DetectionResult r = (DetectionResult) Samples.records().get(4);
    r.getDetections().get(0).setCategory(null);
    assertThatThrownBy(() -> JsonCodec.encode(r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DetectionResult.detections[0].category");
  }

  @Test
  void jsonIsLossless() throws IOException {
    for (SpecificRecord r : Samples.records()) {
      JsonNode json =
          Json.MAPPER
              .reader()
              .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .readTree(JsonCodec.encode(r));
      Schema schema = r.getSchema();
      GenericRecord generic = (GenericRecord) fromJson(schema, json);
      byte[] avro = AvroCodecTest.encode(schema, generic);
      assertThat(AvroCodec.standard().decode(avro, r.getClass())).as(schema.getName()).isEqualTo(r);
    }
    assertThat(Samples.records()).hasAtLeastOneElementOfType(PerceptionFrame.class);
  }

  /** The inverse of {@link JsonCodec}, to raw Avro values, for the round trip. */
  private static Object fromJson(Schema s, JsonNode n) {
    switch (s.getType()) {
      case RECORD:
        {
          GenericRecord rec = new GenericData.Record(s);
          for (Schema.Field f : s.getFields()) {
            rec.put(f.pos(), fromJson(f.schema(), n.get(f.name())));
          }
          return rec;
        }
      case UNION:
        {
          if (n.isNull()) {
            return null;
          }
          Schema branch =
              s.getTypes().stream()
                  .filter(t -> t.getType() != Schema.Type.NULL)
                  .findFirst()
                  .orElseThrow();
          return fromJson(branch, n);
        }
      case ARRAY:
        {
          List<Object> out = new ArrayList<>();
          n.forEach(item -> out.add(fromJson(s.getElementType(), item)));
          return out;
        }
      case MAP:
        {
          Map<String, Object> out = new HashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), fromJson(s.getValueType(), e.getValue()));
          }
          return out;
        }
      case ENUM:
        return new GenericData.EnumSymbol(s, n.asText());
      case STRING:
        return n.asText();
      case BYTES:
        return ByteBuffer.wrap(Base64.getDecoder().decode(n.asText()));
      case INT:
        return n.intValue();
      case LONG:
        return n.longValue();
      case FLOAT:
        return n.decimalValue().floatValue();
      case DOUBLE:
        return n.decimalValue().doubleValue();
      case BOOLEAN:
        return n.booleanValue();
      default:
        throw new IllegalArgumentException("no test conversion for " + s);
    }
  }
}
