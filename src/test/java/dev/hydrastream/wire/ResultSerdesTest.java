package dev.hydrastream.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SceneResult;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** {@link OutputFormat}, the Kafka serializers and serdes, and {@link Decoded}. */
class ResultSerdesTest {

  @Test
  void formatsParseCaseInsensitively() {
    assertThat(OutputFormat.parse("json")).isEqualTo(OutputFormat.JSON);
    assertThat(OutputFormat.parse(" AVRO ")).isEqualTo(OutputFormat.AVRO);
    assertThatThrownBy(() -> OutputFormat.parse("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[avro, json]")
        .hasMessageContaining("xml");
  }

  @Test
  void serializersWriteTheFormat() {
    PerceptionFrame fused = (PerceptionFrame) Samples.records().get(6);
    Serializer<PerceptionFrame> avro = ResultSerdes.serializer(OutputFormat.AVRO);
    Serializer<PerceptionFrame> json = ResultSerdes.serializer(OutputFormat.JSON);
    assertThat(avro.serialize("perception.frames", fused)).isEqualTo(AvroCodec.encode(fused));
    assertThat(json.serialize("perception.frames", fused)).isEqualTo(JsonCodec.encode(fused));
    assertThat(avro.serialize("t", null)).isNull();
    assertThat(Decoded.decodeAvro(avro.serialize("t", fused), PerceptionFrame.class))
        .isEqualTo(fused);
    assertThat(Decoded.decodeJson(json.serialize("t", fused)).get("frame_id").asText())
        .isEqualTo("cam-1:42");

    fused.setModel(null);
    assertThatThrownBy(() -> avro.serialize("perception.frames", fused))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("PerceptionFrame")
        .hasMessageContaining("perception.frames");
  }

  @Test
  void avroSerdeReadsBackJsonSerdeOnlyWrites() {
    SceneResult scene = (SceneResult) Samples.records().get(3);
    try (Serde<SceneResult> avro = ResultSerdes.serde(SceneResult.class, OutputFormat.AVRO);
        Serde<SceneResult> json = ResultSerdes.serde(SceneResult.class, OutputFormat.JSON)) {
      byte[] bytes = avro.serializer().serialize("t", scene);
      assertThat(avro.deserializer().deserialize("t", bytes)).isEqualTo(scene);
      assertThat(avro.deserializer().deserialize("t", null)).isNull();
      assertThatThrownBy(() -> avro.deserializer().deserialize("t", new byte[] {1, 2}))
          .isInstanceOf(SerializationException.class);
      byte[] text = json.serializer().serialize("t", scene);
      assertThatThrownBy(() -> json.deserializer().deserialize("t", text))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void decodeAvroRefusesNonAvro() {
    assertThatThrownBy(() -> Decoded.decodeAvro("{}".getBytes(), SceneResult.class))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
