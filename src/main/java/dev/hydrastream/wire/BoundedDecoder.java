package dev.hydrastream.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * A binary Avro decoder over a byte array that refuses lengths and item counts larger than the
 * bytes left. Avro's own decoder allocates whatever a length prefix says (up to its JVM-wide limit
 * of about 2 GB) before reading, so one corrupt length in an untrusted message could exhaust the
 * heap; here it fails fast with an {@link IOException}. An item count is bounded by the bytes left
 * as well, which holds for every array and map whose items take at least one byte (all of ours).
 */
final class BoundedDecoder extends Decoder {

  private final ByteArrayInputStream in;
  private final BinaryDecoder d;

  BoundedDecoder(byte[] bytes, int offset, int length) {
    in = new ByteArrayInputStream(bytes, offset, length);
    d = DecoderFactory.get().directBinaryDecoder(in, null);
  }

  /** Bytes not read yet. */
  int remaining() {
    return in.available();
  }

  private int length(long n, String what) throws IOException {
    if (n < 0 || n > remaining()) {
      throw new IOException(what + " length " + n + " but only " + remaining() + " bytes left");
    }
    return (int) n;
  }

  private long count(long n, String what) throws IOException {
    if (n < 0 || n > remaining()) {
      throw new IOException(what + " of " + n + " items but only " + remaining() + " bytes left");
    }
    return n;
  }

  @Override
  public void readNull() throws IOException {
    d.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return d.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return d.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return d.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return d.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return d.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int n = length(d.readLong(), "string");
    Utf8 out = old != null ? old : new Utf8();
    out.setByteLength(n);
    d.readFixed(out.getBytes(), 0, n);
    return out;
  }

  @Override
  public String readString() throws IOException {
    int n = length(d.readLong(), "string");
    byte[] bytes = new byte[n];
    d.readFixed(bytes, 0, n);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    d.skipFixed(length(d.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int n = length(d.readLong(), "bytes");
    byte[] bytes = new byte[n];
    d.readFixed(bytes, 0, n);
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void skipBytes() throws IOException {
    d.skipFixed(length(d.readLong(), "bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    d.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    d.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return d.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return count(d.readArrayStart(), "array block");
  }

  @Override
  public long arrayNext() throws IOException {
    return count(d.arrayNext(), "array block");
  }

  @Override
  public long skipArray() throws IOException {
    return count(d.skipArray(), "array block");
  }

  @Override
  public long readMapStart() throws IOException {
    return count(d.readMapStart(), "map block");
  }

  @Override
  public long mapNext() throws IOException {
    return count(d.mapNext(), "map block");
  }

  @Override
  public long skipMap() throws IOException {
    return count(d.skipMap(), "map block");
  }

  @Override
  public int readIndex() throws IOException {
    return d.readIndex();
  }
}
