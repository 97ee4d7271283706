package dev.hydrastream.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** Encoding of the result topics' values, the {@code output.format} setting. */
public enum OutputFormat {

  /** Avro single-object encoding ({@link AvroCodec}); the default. */
  AVRO(AvroCodec::encode, "application/vnd.apache.avro.single-object"),

  /** Plain UTF-8 JSON object ({@link JsonCodec}). */
  JSON(JsonCodec::encode, "application/json");

  private final Function<SpecificRecord, byte[]> encoder;
  private final String contentType;

  OutputFormat(Function<SpecificRecord, byte[]> encoder, String contentType) {
    this.encoder = encoder;
    this.contentType = contentType;
  }

  /** The record's value bytes in this format. */
  public byte[] encode(SpecificRecord record) {
    return encoder.apply(record);
  }

  /** The {@code content-type} header value of records in this format. */
  public String contentType() {
    return contentType;
  }

  /**
   * The format named {@code name}, case-insensitive ({@code avro}, {@code json}).
   *
   * @throws IllegalArgumentException for another name, listing the valid ones
   */
  public static OutputFormat parse(String name) {
    for (OutputFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "output format must be one of "
            + Arrays.toString(values()).toLowerCase(Locale.ROOT)
            + ", got '"
            + name
            + "'");
  }
}
