package dev.hydrastream.wire;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Thrown for an Avro single-object encoded value whose header is truncated or whose body does not
 * decode with its (known) writer schema: truncated, corrupt, or with trailing bytes.
 */
public class MalformedRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String message) {
    super(message);
  }

  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
