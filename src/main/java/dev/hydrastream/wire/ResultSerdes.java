package dev.hydrastream.wire;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializers and serdes for the output records, in the configured {@link OutputFormat}. Only
 * the serializer side matters for the result topics; the serde's deserializer reads Avro values
 * (any known version) and refuses JSON, which consumers read as plain JSON (see {@link
 * Decoded#decodeJson}).
 */
public final class ResultSerdes {

  private ResultSerdes() {}

  /** Encodes records in {@code format}; null stays null (tombstone). */
  public static <T extends SpecificRecord> Serializer<T> serializer(OutputFormat format) {
    return (topic, record) -> {
      if (record == null) {
        return null;
      }
      try {
        return format.encode(record);
      } catch (RuntimeException e) {
        throw new SerializationException(
            "cannot encode "
                + record.getSchema().getName()
                + " as "
                + format
                + " for topic "
                + topic
                + ": "
                + e.getMessage(),
            e);
      }
    };
  }

  /** A serde of {@code type} whose serializer writes {@code format}. */
  public static <T extends SpecificRecord> Serde<T> serde(Class<T> type, OutputFormat format) {
    return Serdes.serdeFrom(serializer(format), deserializer(type, format));
  }

  private static <T extends SpecificRecord> Deserializer<T> deserializer(
      Class<T> type, OutputFormat format) {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (format != OutputFormat.AVRO) {
        throw new UnsupportedOperationException(
            "the "
                + format
                + " serde of "
                + type.getSimpleName()
                + " only serializes; read JSON values as JSON");
      }
      T value = AvroCodec.standard().decode(bytes, type);
      if (value == null) {
        throw new SerializationException("value on " + topic + " is not single-object Avro");
      }
      return value;
    };
  }
}
