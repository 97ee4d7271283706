package dev.hydrastream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * Whether a plain JSON document has the shape {@code output.format=json} gives an Avro record
 * ({@code JsonCodec}'s mapping): every field of the schema and no other, a nullable union as null
 * or its value, bytes as base64, enums and strings as text, maps as objects, numbers where the
 * schema has numbers (timestamps as epoch milliseconds).
 */
public final class JsonSchemaCheck {

  private JsonSchemaCheck() {}

  /** What does not fit, one line per problem with its path; empty when the document fits. */
  public static List<String> problems(Schema schema, JsonNode doc) {
    List<String> out = new ArrayList<>();
    check(schema, doc, schema.getName(), out);
    return out;
  }

  private static void check(Schema schema, JsonNode n, String path, List<String> out) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!n.isObject()) {
          out.add(path + ": expected an object, got " + n.getNodeType());
          return;
        }
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        for (Schema.Field f : schema.getFields()) {
          if (!names.remove(f.name())) {
            out.add(path + "." + f.name() + ": missing");
          } else {
            check(f.schema(), n.get(f.name()), path + "." + f.name(), out);
          }
        }
        names.forEach(extra -> out.add(path + "." + extra + ": not in the schema"));
      }
      case UNION -> {
        if (n.isNull() && schema.isNullable()) {
          return;
        }
        List<String> best = null;
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() == Schema.Type.NULL) {
            continue;
          }
          List<String> p = new ArrayList<>();
          check(branch, n, path, p);
          if (best == null || p.size() < best.size()) {
            best = p;
          }
        }
        out.addAll(best == null ? List.of(path + ": null expected") : best);
      }
      case ARRAY -> {
        if (!n.isArray()) {
          out.add(path + ": expected an array, got " + n.getNodeType());
          return;
        }
        for (int i = 0; i < n.size(); i++) {
          check(schema.getElementType(), n.get(i), path + "[" + i + "]", out);
        }
      }
      case MAP -> {
        if (!n.isObject()) {
          out.add(path + ": expected an object (map), got " + n.getNodeType());
          return;
        }
        n.properties()
            .forEach(e -> check(schema.getValueType(), e.getValue(), path + "." + e.getKey(), out));
      }
      case STRING -> expect(n.isTextual(), "a string", n, path, out);
      case ENUM ->
          expect(
              n.isTextual() && schema.getEnumSymbols().contains(n.asText()),
              "one of " + schema.getEnumSymbols(),
              n,
              path,
              out);
      case BYTES, FIXED -> expect(isBase64(n), "base64 text", n, path, out);
      case INT, LONG -> expect(n.isIntegralNumber(), "an integer", n, path, out);
      case FLOAT, DOUBLE -> expect(n.isNumber(), "a number", n, path, out);
      case BOOLEAN -> expect(n.isBoolean(), "true or false", n, path, out);
      case NULL -> expect(n.isNull(), "null", n, path, out);
    }
  }

  private static boolean isBase64(JsonNode n) {
    if (!n.isTextual()) {
      return false;
    }
    try {
      Base64.getDecoder().decode(n.asText());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void expect(boolean ok, String what, JsonNode n, String path, List<String> out) {
    if (!ok) {
      out.add(path + ": expected " + what + ", got " + n);
    }
  }
}
