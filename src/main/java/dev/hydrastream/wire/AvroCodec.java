package dev.hydrastream.wire;

import dev.hydrastream.schema.CameraFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of the generated records (DESIGN.md "Topics and records"): magic
 * {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the
 * binary body. Decoding looks the writer schema up by fingerprint in {@link KnownSchemas} and
 * resolves it to the current generated class, so values written with a released older schema still
 * decode. Thread-safe.
 *
 * <p>Decoding tells three cases apart: no magic, so not single-object encoded ({@code null}: for
 * {@code camera.frames} the value is then raw image bytes); magic with a fingerprint that is no
 * known version of the expected record ({@link UnknownSchemaException}); known fingerprint but a
 * body that does not decode, or a truncated header ({@link MalformedRecordException}).
 */
public final class AvroCodec {

  /** Magic and fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = 0x01;

  private static final ClassValue<BinaryMessageEncoder<SpecificRecord>> ENCODERS =
      new ClassValue<>() {
        @Override
        protected BinaryMessageEncoder<SpecificRecord> computeValue(Class<?> type) {
          SpecificData model = SpecificData.getForClass(type);
          return new BinaryMessageEncoder<>(model, model.getSchema(type));
        }
      };

  private static final class Standard {
    static final AvroCodec INSTANCE = new AvroCodec(KnownSchemas.standard());
  }

  private record ReaderKey(Class<?> type, long fingerprint) {}

  private final KnownSchemas schemas;
  private final ConcurrentMap<ReaderKey, SpecificDatumReader<?>> readers =
      new ConcurrentHashMap<>();

  /** A codec that decodes the writer schemas in {@code schemas}. */
  public AvroCodec(KnownSchemas schemas) {
    this.schemas = Objects.requireNonNull(schemas, "schemas");
  }

  /** The codec over {@link KnownSchemas#standard()}: current and released schemas. */
  public static AvroCodec standard() {
    return Standard.INSTANCE;
  }

  /** Single-object encoding of a generated record, with its class's current schema. */
  public static byte[] encode(SpecificRecord record) {
    try {
      ByteBuffer buf = ENCODERS.get(record.getClass()).encode(record);
      if (buf.hasArray()
          && buf.arrayOffset() == 0
          && buf.position() == 0
          && buf.remaining() == buf.array().length) {
        return buf.array();
      }
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code bytes} start with the single-object magic {@code C3 01}. */
  public static boolean isSingleObject(byte[] bytes) {
    return bytes != null && bytes.length >= 2 && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1;
  }

  /**
   * The writer-schema fingerprint in a single-object header.
   *
   * @throws IllegalArgumentException without magic and a complete header
   */
  public static long fingerprint(byte[] bytes) {
    if (!isSingleObject(bytes) || bytes.length < HEADER_LENGTH) {
      throw new IllegalArgumentException("not a single-object encoded value");
    }
    long fp = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      fp = (fp << 8) | (bytes[i] & 0xFF);
    }
    return fp;
  }

  /**
   * Decodes a {@code camera.frames} value.
   *
   * @return the frame, or null if the value is not single-object encoded (raw image bytes)
   * @throws UnknownSchemaException if the fingerprint is no known CameraFrame schema
   * @throws MalformedRecordException if the header is truncated or the body does not decode
   */
  public CameraFrame decodeFrame(byte[] bytes) {
    return decode(bytes, CameraFrame.class);
  }

  /**
   * Decodes a single-object encoded value into the current generated class {@code type}.
   *
   * @return the record, or null if the value is not single-object encoded
   * @throws UnknownSchemaException if the fingerprint is no known schema of {@code type}'s record
   * @throws MalformedRecordException if the header is truncated or the body does not decode
   */
  public <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) {
    if (!isSingleObject(bytes)) {
      return null;
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new MalformedRecordException(
          "truncated single-object header: " + bytes.length + " bytes");
    }
    long fp = fingerprint(bytes);
    SpecificDatumReader<T> reader = reader(type, fp);
    BoundedDecoder in = new BoundedDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
    T value;
    try {
      value = reader.read(null, in);
    } catch (IOException | RuntimeException e) {
      throw new MalformedRecordException(
          String.format(
              "corrupt %s (writer schema %s, %d bytes):" + " %s",
              reader.getExpected().getName(), UnknownSchemaException.hex(fp), bytes.length, e),
          e);
    }
    if (in.remaining() > 0) {
      throw new MalformedRecordException(
          String.format(
              "corrupt %s (writer schema %s): %d bytes" + " after the record",
              reader.getExpected().getName(), UnknownSchemaException.hex(fp), in.remaining()));
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> SpecificDatumReader<T> reader(Class<T> type, long fp) {
    ReaderKey key = new ReaderKey(type, fp);
    SpecificDatumReader<?> cached = readers.get(key);
    if (cached != null) {
      return (SpecificDatumReader<T>) cached;
    }
    SpecificData model = SpecificData.getForClass(type);
    Schema readerSchema = model.getSchema(type);
    Schema writer = schemas.findByFingerprint(fp);
    if (writer == null || !writer.getFullName().equals(readerSchema.getFullName())) {
      throw new UnknownSchemaException(fp, readerSchema.getFullName());
    }
    // only known fingerprints are cached, so foreign headers cannot grow the map
    return (SpecificDatumReader<T>)
        readers.computeIfAbsent(key, k -> new SpecificDatumReader<T>(writer, readerSchema, model));
  }
}
