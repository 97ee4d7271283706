package dev.hydrastream.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads the plain JSON that {@link JsonCodec} writes (and that producers without Avro send) back
 * into a generated record: fields by schema name, a nullable union as its value or {@code null},
 * enums as symbol strings, timestamps as epoch milliseconds, bytes as base64. Missing fields take
 * their schema default; a missing field without one, a wrong JSON type or an unknown enum symbol
 * fails naming the field. Fields the schema does not know are ignored (newer producers). Stateless
 * and thread-safe.
 */
public final class JsonRecordReader {

  private JsonRecordReader() {}

  /**
   * Parses {@code bytes} as a JSON object of record {@code type}.
   *
   * @throws MalformedRecordException if the bytes are not JSON or do not fit the schema, naming the
   *     field
   */
  public static <T extends SpecificRecord> T read(byte[] bytes, Class<T> type) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new MalformedRecordException("not JSON: " + firstLine(e.getMessage()));
    }
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    if (tree == null || !tree.isObject()) {
      throw new MalformedRecordException(
          "expected a JSON object of " + schema.getName() + ", got " + kind(tree));
    }
    return type.cast(record(model, schema, tree, schema.getName()));
  }

  private static IndexedRecord record(SpecificData model, Schema schema, JsonNode node, String at) {
    IndexedRecord out = (IndexedRecord) model.newRecord(null, schema);
    for (Schema.Field f : schema.getFields()) {
      JsonNode v = node.get(f.name());
      String path = at + "." + f.name();
      if (v == null || v.isMissingNode()) {
        if (!f.hasDefaultValue()) {
          throw new MalformedRecordException(path + ": missing (the field has no default)");
        }
        out.put(f.pos(), model.deepCopy(f.schema(), model.getDefaultValue(f)));
      } else {
        out.put(f.pos(), value(model, f.schema(), v, path));
      }
    }
    return out;
  }

  private static Object value(SpecificData model, Schema schema, JsonNode v, String path) {
    if (v.isNull()) {
      if (schema.getType() == Schema.Type.NULL || schema.isNullable()) {
        return null;
      }
      throw new MalformedRecordException(path + ": null for a field that is not nullable");
    }
    LogicalType logical = schema.getLogicalType();
    Object raw = raw(model, schema, v, path);
    if (logical == null) {
      return raw;
    }
    Conversion<?> conversion = model.getConversionFor(logical);
    return conversion == null
        ? raw
        : Conversions.convertToLogicalType(raw, schema, logical, conversion);
  }

  private static Object raw(SpecificData model, Schema schema, JsonNode v, String path) {
    switch (schema.getType()) {
      case RECORD:
        expect(v.isObject(), "an object", v, path);
        return record(model, schema, v, path);
      case UNION:
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            // our unions are [null, X]; a null value was handled by the caller
            return value(model, branch, v, path);
          }
        }
        throw new MalformedRecordException(path + ": a union without a non-null branch");
      case ARRAY:
        {
          expect(v.isArray(), "an array", v, path);
          List<Object> out = new GenericData.Array<>(v.size(), schema);
          for (int i = 0; i < v.size(); i++) {
            out.add(value(model, schema.getElementType(), v.get(i), path + "[" + i + "]"));
          }
          return out;
        }
      case MAP:
        {
          expect(v.isObject(), "an object", v, path);
          Map<String, Object> out = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(
                e.getKey(),
                value(model, schema.getValueType(), e.getValue(), path + "." + e.getKey()));
          }
          return out;
        }
      case ENUM:
        {
          expect(v.isTextual(), "a string", v, path);
          if (!schema.hasEnumSymbol(v.asText())) {
            throw new MalformedRecordException(
                path + ": \"" + v.asText() + "\" is not one of " + schema.getEnumSymbols());
          }
          return model.createEnum(v.asText(), schema);
        }
      case STRING:
        expect(v.isTextual(), "a string", v, path);
        return v.asText();
      case BYTES:
        expect(v.isTextual(), "a base64 string", v, path);
        try {
          return ByteBuffer.wrap(Base64.getDecoder().decode(v.asText()));
        } catch (IllegalArgumentException e) {
          throw new MalformedRecordException(path + ": not base64");
        }
      case INT:
        expect(v.canConvertToInt() && v.isIntegralNumber(), "an int", v, path);
        return v.intValue();
      case LONG:
        expect(v.canConvertToLong() && v.isIntegralNumber(), "a long", v, path);
        return v.longValue();
      case FLOAT:
        expect(v.isNumber(), "a number", v, path);
        return v.floatValue();
      case DOUBLE:
        expect(v.isNumber(), "a number", v, path);
        return v.doubleValue();
      case BOOLEAN:
        expect(v.isBoolean(), "true or false", v, path);
        return v.booleanValue();
      default:
        throw new MalformedRecordException(path + ": unsupported type " + schema.getType());
    }
  }

  private static void expect(boolean ok, String what, JsonNode v, String path) {
    if (!ok) {
      throw new MalformedRecordException(path + ": expected " + what + ", got " + kind(v));
    }
  }

  private static String kind(JsonNode v) {
    if (v == null) {
      return "nothing";
    }
    String text = v.toString();
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
