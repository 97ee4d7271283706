package dev.hydrastream.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.specific.SpecificRecord;

/** Decoding of result-topic values, for tests and tools that read what the service wrote. */
public final class Decoded {

  private Decoded() {}

  /**
   * A single-object Avro value as generated class {@code type} (any known writer version).
   *
   * @throws IllegalArgumentException if the value is not single-object encoded
   * @throws UnknownSchemaException if the fingerprint is no known schema of the record
   * @throws MalformedRecordException if the value does not decode
   */
  public static <T extends SpecificRecord> T decodeAvro(byte[] bytes, Class<T> type) {
    T value = AvroCodec.standard().decode(bytes, type);
    if (value == null) {
      throw new IllegalArgumentException("not single-object Avro (no C3 01 magic)");
    }
    return value;
  }

  /**
   * A JSON value as a tree.
   *
   * @throws UncheckedIOException if the bytes are not JSON
   */
  public static JsonNode decodeJson(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
