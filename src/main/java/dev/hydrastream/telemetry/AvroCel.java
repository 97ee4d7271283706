package dev.hydrastream.telemetry;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * The bridge between an Avro record and CEL: the record's schema declared as CEL struct types (so
 * the checker knows every field and its type), and a record's value as the maps CEL evaluates.
 * Names and types follow the schema: records are structs named by their full name, strings and enum
 * symbols are strings, int/long (timestamps as epoch milliseconds) are CEL ints, float/double are
 * doubles, arrays are lists, maps are maps with string keys. A null field is absent in the value,
 * so conditions test it with {@code has(event.field)}.
 */
final class AvroCel implements CelTypeProvider {

  private final Map<String, CelType> structs = new LinkedHashMap<>();
  private final StructType root;

  /** The struct types of {@code schema} and every record it contains. */
  AvroCel(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("not a record schema: " + schema);
    }
    this.root = (StructType) type(schema);
  }

  /** The struct type of the root record. */
  StructType root() {
    return root;
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String name) {
    return Optional.ofNullable(structs.get(name));
  }

  private CelType type(Schema s) {
    switch (s.getType()) {
      case RECORD:
        {
          CelType known = structs.get(s.getFullName());
          if (known != null) {
            return known;
          }
          Map<String, CelType> fields = new HashMap<>();
          StructType t =
              StructType.create(
                  s.getFullName(),
                  ImmutableSet.copyOf(s.getFields().stream().map(Schema.Field::name).toList()),
                  name -> Optional.ofNullable(fields.get(name)));
          structs.put(s.getFullName(), t);
          for (Schema.Field f : s.getFields()) {
            fields.put(f.name(), type(f.schema()));
          }
          return t;
        }
      case UNION:
        {
          List<Schema> branches =
              s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
          if (branches.size() != 1) {
            throw new IllegalArgumentException("only [null, X] unions are supported: " + s);
          }
          return type(branches.get(0));
        }
      case ARRAY:
        return ListType.create(type(s.getElementType()));
      case MAP:
        return MapType.create(SimpleType.STRING, type(s.getValueType()));
      case STRING:
      case ENUM:
        return SimpleType.STRING;
      case INT:
      case LONG:
        return SimpleType.INT;
      case FLOAT:
      case DOUBLE:
        return SimpleType.DOUBLE;
      case BOOLEAN:
        return SimpleType.BOOL;
      default:
        throw new IllegalArgumentException("no CEL type for Avro " + s.getType());
    }
  }

  /** {@code record} as CEL values: nested maps, lists, strings, longs, doubles, booleans. */
  static Map<String, Object> value(IndexedRecord record) {
    Map<String, Object> out = new HashMap<>();
    for (Schema.Field f : record.getSchema().getFields()) {
      Object v = convert(record.get(f.pos()));
      if (v != null) {
        out.put(f.name(), v);
      }
    }
    return out;
  }

  private static Object convert(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof IndexedRecord r) {
      return value(r);
    }
    if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericEnumSymbol<?>) {
      return v.toString();
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Boolean) {
      return v;
    }
    if (v instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(x -> out.add(convert(x)));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new HashMap<>();
      m.forEach((k, x) -> out.put(k.toString(), convert(x)));
      return out;
    }
    throw new IllegalArgumentException("no CEL value for " + v.getClass().getName());
  }
}
