package dev.hydrastream.wire;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Thrown for an Avro single-object encoded value whose writer-schema fingerprint is not a known
 * version of the expected record (a newer producer, another record type, or damaged header).
 */
public class UnknownSchemaException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final long fingerprint;

  public UnknownSchemaException(long fingerprint, String recordName) {
    super(
        String.format(
            "unknown schema fingerprint %s for %s (not a known version of it)",
            hex(fingerprint), recordName));
    this.fingerprint = fingerprint;
  }

  /** The CRC-64-AVRO fingerprint from the header. */
  public long fingerprint() {
    return fingerprint;
  }

  /** A fingerprint as 16 hex digits, as in this exception's message. */
  public static String hex(long fingerprint) {
    return String.format("0x%016x", fingerprint);
  }
}
