package dev.hydrastream.data;

/**
 * A dataset directory that cannot be read as intended. The message always starts with the offending
 * file (relative to the dataset root where one is known) and, for JSON content, the field path
 * inside it, e.g. {@code labels/det_20/det_val.json: frames[3].labels[1].box2d.x2: expected a
 * number, got "abc"}, so a user can go straight to the broken spot.
 */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
