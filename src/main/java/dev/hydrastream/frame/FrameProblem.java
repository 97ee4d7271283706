package dev.hydrastream.frame;

/**
 * Why an encoded frame cannot be used. The names are stable: the streams layer dead-letters a frame
 * under the same name, and {@code infer} and {@code eval} report it.
 */
public enum FrameProblem {
  /** No bytes. */
  EMPTY,
  /** Neither a JPEG nor a PNG by its magic bytes (e.g. TIFF, random bytes). */
  UNSUPPORTED_FORMAT,
  /** JPEG/PNG magic, but the dimensions cannot be read from the header. */
  UNREADABLE_HEADER,
  /** Encoded frame larger than the byte cap. */
  TOO_MANY_BYTES,
  /** Declared dimensions above the width or height cap. */
  TOO_MANY_PIXELS,
  /** The image data ends before its end marker (JPEG EOI, PNG IEND). */
  TRUNCATED,
  /** OpenCV could not decode the image. */
  UNDECODABLE
}
