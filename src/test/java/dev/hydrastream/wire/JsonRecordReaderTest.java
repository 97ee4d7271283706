package dev.hydrastream.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.RandomRecords;
import dev.hydrastream.schema.VehicleTelemetry;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Plain JSON back into records: the inverse of {@link JsonCodec}, with errors naming the field. */
class JsonRecordReaderTest {

  @Test
  void everyRecordOfTheContractSurvivesJsonAndBack() {
    RandomRecords random = new RandomRecords(15);
    for (Schema schema : KnownSchemas.CURRENT) {
      for (int i = 0; i < 20; i++) {
        GenericRecord g = random.record(schema, i % 2 == 0);
        @SuppressWarnings("unchecked")
        Class<SpecificRecord> type = (Class<SpecificRecord>) SpecificData.get().getClass(schema);
        SpecificRecord specific = AvroCodec.standard().decode(avro(g), type);
        SpecificRecord back = JsonRecordReader.read(JsonCodec.encode(specific), type);
        assertThat(back).as("%s #%d", schema.getName(), i).isEqualTo(specific);
      }
    }
  }

  @Test
  void theOodScoreReadsBackPresentAbsentAndFromOlderJson() {
    PerceptionFrame with = (PerceptionFrame) Samples.records().get(6);
    PerceptionFrame without = (PerceptionFrame) Samples.records().get(8);
    assertThat(JsonRecordReader.read(JsonCodec.encode(with), PerceptionFrame.class))
        .isEqualTo(with);
    assertThat(JsonRecordReader.read(JsonCodec.encode(without), PerceptionFrame.class))
        .isEqualTo(without);
    // JSON from a producer that predates the field: the default (null)
    ObjectNode older = JsonCodec.toTree(with);
    older.remove("ood_score");
    PerceptionFrame read =
        JsonRecordReader.read(
            older.toString().getBytes(StandardCharsets.UTF_8), PerceptionFrame.class);
    assertThat(read.getOodScore()).isNull();
    assertThat(read.getFrameId()).isEqualTo(with.getFrameId());
  }

  private static byte[] avro(GenericRecord g) {
    try {
      return new org.apache.avro.message.BinaryMessageEncoder<GenericRecord>(
              org.apache.avro.generic.GenericData.get(), g.getSchema())
          .encode(g)
          .array();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void refused(String json, String message) {
    assertThatThrownBy(
            () ->
                JsonRecordReader.read(
                    json.getBytes(StandardCharsets.UTF_8), VehicleTelemetry.class))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining(message);
  }

  @Test
  void badJsonIsRefusedNamingTheField() {
    refused("{not json", "not JSON");
    refused("[1,2]", "expected a JSON object of VehicleTelemetry");
    refused("{\"vehicle_id\":\"v\"}", "VehicleTelemetry.timestamp: missing");
    String ok =
        "{\"vehicle_id\":\"v\",\"timestamp\":1,\"speed_mps\":1,\"acceleration_mps2\":0,"
            + "\"yaw_rate_dps\":0,\"heading_deg\":0,\"brake\":0,\"steering_angle_deg\":0";
    assertThat(
            JsonRecordReader.read(
                    (ok + "}").getBytes(StandardCharsets.UTF_8), VehicleTelemetry.class)
                .getGear())
        .hasToString("UNKNOWN"); // defaults fill the rest
    refused(ok + ",\"gear\":\"WARP\"}", "VehicleTelemetry.gear: \"WARP\" is not one of");
    refused(
        ok.replace("\"speed_mps\":1", "\"speed_mps\":\"fast\"") + "}",
        "VehicleTelemetry.speed_mps: expected a number");
    refused(
        ok.replace("\"timestamp\":1", "\"timestamp\":1.5") + "}",
        "VehicleTelemetry.timestamp: expected a long");
  }
}
