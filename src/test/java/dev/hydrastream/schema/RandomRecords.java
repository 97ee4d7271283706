package dev.hydrastream.schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Generic records with random values for every field of any schema: nested records, arrays and maps
 * of 1 to 3 items, every enum symbol, unions on a random non-null branch, non-ASCII strings. A
 * "sparse" record takes the null branch of every nullable union and empty collections instead.
 * Logical types get their underlying value (timestamp-millis: a long).
 */
public final class RandomRecords {

  private static final String[] WORDS = {"cam-1", "véhicule", "交差点", "", "a:b", "lane"};

  private final Random rnd;

  public RandomRecords(long seed) {
    rnd = new Random(seed);
  }

  /** A record of {@code schema} with every field set; nullable ones null when sparse. */
  public GenericRecord record(Schema schema, boolean sparse) {
    return (GenericRecord) value(schema, sparse);
  }

  private Object value(Schema s, boolean sparse) {
    switch (s.getType()) {
      case RECORD:
        {
          GenericRecord rec = new GenericData.Record(s);
          for (Schema.Field f : s.getFields()) {
            rec.put(f.pos(), value(f.schema(), sparse));
          }
          return rec;
        }
      case UNION:
        {
          List<Schema> branches = new ArrayList<>(s.getTypes());
          boolean hasNull = branches.removeIf(b -> b.getType() == Schema.Type.NULL);
          if (sparse && hasNull || branches.isEmpty()) {
            return null;
          }
          return value(branches.get(rnd.nextInt(branches.size())), sparse);
        }
      case ARRAY:
        {
          List<Object> out = new ArrayList<>();
          for (int i = size(sparse); i > 0; i--) {
            out.add(value(s.getElementType(), sparse));
          }
          return out;
        }
      case MAP:
        {
          Map<String, Object> out = new LinkedHashMap<>();
          for (int i = size(sparse); i > 0; i--) {
            out.put(WORDS[rnd.nextInt(WORDS.length)] + i, value(s.getValueType(), sparse));
          }
          return out;
        }
      case ENUM:
        return new GenericData.EnumSymbol(
            s, s.getEnumSymbols().get(rnd.nextInt(s.getEnumSymbols().size())));
      case FIXED:
        {
          byte[] b = new byte[s.getFixedSize()];
          rnd.nextBytes(b);
          return new GenericData.Fixed(s, b);
        }
      case STRING:
        return WORDS[rnd.nextInt(WORDS.length)] + rnd.nextInt(1000);
      case BYTES:
        {
          byte[] b = new byte[rnd.nextInt(64)];
          rnd.nextBytes(b);
          return ByteBuffer.wrap(b);
        }
      case INT:
        return rnd.nextInt();
      case LONG:
        return rnd.nextLong() >> 8;
      case FLOAT:
        return rnd.nextFloat() * 1000 - 500;
      case DOUBLE:
        return rnd.nextGaussian() * 1e6;
      case BOOLEAN:
        return rnd.nextBoolean();
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("unsupported schema " + s);
    }
  }

  private int size(boolean sparse) {
    return sparse ? 0 : 1 + rnd.nextInt(3);
  }
}
