package dev.hydrastream.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.util.Json;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Renders any Avro record (generated or generic) as a plain JSON object for consumers that do not
 * speak Avro ({@code output.format=json}). Walks the record's schema: fields in schema order with
 * the schema's names; a nullable union is its value or {@code null} (no Avro union wrapper); bytes
 * and fixed are base64 strings; enums are their symbol; maps are objects with sorted keys; logical
 * types are their underlying value (timestamp-millis is epoch milliseconds). Compact UTF-8 output.
 * Thread-safe.
 */
public final class JsonCodec {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER =
      Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  /** Resolves unions and logical-type values (e.g. {@code Instant}) of any record. */
  private static final SpecificData MODEL = new SpecificData();

  static {
    MODEL.addLogicalTypeConversion(new TimeConversions.DateConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampNanosConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.LocalTimestampNanosConversion());
    MODEL.addLogicalTypeConversion(new Conversions.UUIDConversion());
    MODEL.addLogicalTypeConversion(new Conversions.DecimalConversion());
  }

  private JsonCodec() {}

  /** The record as compact UTF-8 JSON. */
  public static byte[] encode(IndexedRecord record) {
    try {
      return WRITER.writeValueAsBytes(toTree(record));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The record as a JSON tree.
   *
   * @throws IllegalArgumentException if a non-nullable field is null, naming the field
   */
  public static ObjectNode toTree(IndexedRecord record) {
    return record(record, record.getSchema().getName());
  }

  private static ObjectNode record(IndexedRecord record, String path) {
    ObjectNode out = NODES.objectNode();
    for (Schema.Field f : record.getSchema().getFields()) {
      out.set(f.name(), value(f.schema(), record.get(f.pos()), path + "." + f.name()));
    }
    return out;
  }

  private static JsonNode value(Schema schema, Object value, String path) {
    if (value == null) {
      if (schema.getType() == Schema.Type.NULL || schema.isNullable()) {
        return NODES.nullNode();
      }
      throw new IllegalArgumentException("null value for non-nullable field " + path);
    }
    LogicalType logical = schema.getLogicalType();
    if (logical != null) {
      value = raw(value, schema, logical);
    }
    switch (schema.getType()) {
      case RECORD:
        return record((IndexedRecord) value, path);
      case UNION:
        return value(schema.getTypes().get(MODEL.resolveUnion(schema, value)), value, path);
      case ARRAY:
        {
          ArrayNode out = NODES.arrayNode();
          int i = 0;
          for (Object item : (Collection<?>) value) {
            out.add(value(schema.getElementType(), item, path + "[" + i++ + "]"));
          }
          return out;
        }
      case MAP:
        {
          ObjectNode out = NODES.objectNode();
          Map<String, Object> sorted = new TreeMap<>();
          ((Map<?, ?>) value).forEach((k, v) -> sorted.put(k.toString(), v));
          sorted.forEach((k, v) -> out.set(k, value(schema.getValueType(), v, path + "." + k)));
          return out;
        }
      case ENUM:
      case STRING:
        return NODES.textNode(value.toString());
      case BYTES:
        {
          ByteBuffer buf = ((ByteBuffer) value).duplicate();
          byte[] bytes = new byte[buf.remaining()];
          buf.get(bytes);
          return NODES.textNode(BASE64.encodeToString(bytes));
        }
      case FIXED:
        return NODES.textNode(BASE64.encodeToString(((GenericFixed) value).bytes()));
      case INT:
        return NODES.numberNode(((Number) value).intValue());
      case LONG:
        return NODES.numberNode(((Number) value).longValue());
      case FLOAT:
        return NODES.numberNode(((Number) value).floatValue());
      case DOUBLE:
        return NODES.numberNode(((Number) value).doubleValue());
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case NULL:
      default:
        return NODES.nullNode();
    }
  }

  /** A logical-type value (e.g. {@code Instant}) as its underlying Avro value. */
  @SuppressWarnings("unchecked")
  private static Object raw(Object value, Schema schema, LogicalType logical) {
    Conversion<Object> conversion =
        MODEL.getConversionByClass((Class<Object>) value.getClass(), logical);
    return conversion == null
        ? value
        : Conversions.convertToRawType(value, schema, logical, conversion);
  }
}
