package dev.hydrastream.testing;

import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.schema.ImageFormat;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.HeaderNames;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The fuzz corpus of {@code camera.frames}: malformed records of every kind the reliability issue
 * lists (random bytes; truncated, bit-flipped and header-corrupted JPEG and PNG; TIFF, JPEG 2000,
 * BMP, GIF and WebP magic; huge declared dimensions; progressive, CMYK and other unusual JPEGs; PNG
 * chunks with absurd lengths; empty values; Avro with a wrong fingerprint, truncated or with lying
 * length prefixes; missing, contradicting and absurd headers), interleaved with valid frames, each
 * with the outcome the service owes it. Deterministic for a seed.
 *
 * <p>Most outcomes are known by construction. Random bit flips and overwritten header bytes are
 * not: whether a JPEG with a flipped bit in its entropy-coded data still decodes is up to the
 * decoder (JPEG has no checksum), so those inputs say {@link Input#known()} false and the test asks
 * the service's own validation and decoding what they are.
 */
public final class Malformed {

  /** The kinds of input, in the words. */
  public enum Kind {
    VALID_RAW,
    VALID_AVRO,
    VALID_FALLBACK_HEADERS,
    VALID_REPEATED_HEADER,
    RANDOM_BYTES,
    ZEROS,
    EMPTY,
    NULL_VALUE,
    TRUNCATED_JPEG,
    TRUNCATED_PNG,
    BITFLIP_JPEG,
    BITFLIP_PNG,
    HEADER_CORRUPT_JPEG,
    HEADER_CORRUPT_PNG,
    TIFF,
    JPEG2000,
    BMP,
    GIF,
    WEBP,
    HUGE_JPEG_DIMS,
    HUGE_PNG_DIMS,
    PROGRESSIVE_JPEG,
    CMYK_JPEG,
    ODD_JPEG_CODING,
    PNG_ABSURD_CHUNK,
    TOO_MANY_BYTES,
    AVRO_WRONG_FINGERPRINT,
    AVRO_TRUNCATED,
    AVRO_LYING_LENGTH,
    AVRO_BAD_IMAGE,
    MISSING_CAMERA,
    CONTRADICTING_HEADERS,
    ABSURD_HEADERS
  }

  /**
   * One record to send.
   *
   * @param id unique per corpus: the record's camera is derived from it where it has one
   * @param kind what it is
   * @param key record key (may be null)
   * @param value record value (may be null)
   * @param headers record headers
   * @param expected the dead-letter reason owed, or null when the frame must be processed
   * @param known whether {@code expected} is known by construction (else: ask the decoder)
   * @param camera the camera of a processed frame (null: the record key)
   * @param seq the sequence number of a processed frame (-1: the record's offset)
   */
  public record Input(
      int id,
      Kind kind,
      String key,
      byte[] value,
      List<Header> headers,
      DlqReason expected,
      boolean known,
      String camera,
      long seq) {}

  /** The byte cap and dimension caps the expectations assume (the settings' defaults). */
  public static final int MAX_BYTES = 4 << 20;

  public static final int MAX_SIDE = 4096;

  private final Random rnd;
  private final List<byte[]> jpegs = new ArrayList<>();
  private final List<byte[]> pngs = new ArrayList<>();
  private final byte[] progressive;
  private final byte[] cmyk;
  private final long now = System.currentTimeMillis();
  private int next;

  /** A corpus generator; base images are rendered street scenes, encoded here. */
  public Malformed(long seed) {
    this.rnd = new Random(seed);
    SceneRenderer r = new SceneRenderer(320, 180);
    for (int i = 0; i < 4; i++) {
      RenderedFrame f = r.render(seed, i);
      jpegs.add(encode(f, ".jpg", opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 80));
      pngs.add(encode(f, ".png", opencv_imgcodecs.IMWRITE_PNG_COMPRESSION, 9));
    }
    RenderedFrame f = r.render(seed, 9);
    progressive = encode(f, ".jpg", opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
    cmyk = cmykJpeg(f);
  }

  /**
   * {@code malformed} bad inputs of every kind in turn (random order within each round) with one
   * valid frame after every {@code validEvery} of them.
   */
  public List<Input> corpus(int malformed, int validEvery) {
    List<Input> out = new ArrayList<>();
    Kind[] bad =
        Arrays.stream(Kind.values())
            .filter(k -> !k.name().startsWith("VALID"))
            .toArray(Kind[]::new);
    Kind[] good =
        Arrays.stream(Kind.values()).filter(k -> k.name().startsWith("VALID")).toArray(Kind[]::new);
    for (int i = 0; i < malformed; i++) {
      Kind k = bad[i % bad.length];
      // huge values are costly to move: one in 500
      if (k == Kind.TOO_MANY_BYTES && i % 500 >= bad.length) {
        k = Kind.RANDOM_BYTES;
      }
      out.add(make(k));
      if ((i + 1) % validEvery == 0) {
        out.add(make(good[(i / validEvery) % good.length]));
      }
    }
    return out;
  }

  /** One input of {@code kind}. */
  public Input make(Kind kind) {
    int id = next++;
    String cam = "fz-" + id;
    byte[] jpeg = pick(jpegs);
    byte[] png = pick(pngs);
    return switch (kind) {
      case VALID_RAW -> raw(id, kind, rnd.nextBoolean() ? jpeg : png, null);
      case VALID_AVRO -> avro(id, kind, rnd.nextBoolean() ? jpeg : png, null);
      case VALID_FALLBACK_HEADERS ->
          // no headers at all: camera from the key, sequence number from the offset
          new Input(id, kind, cam, jpeg, List.of(), null, true, cam, -1);
      case VALID_REPEATED_HEADER -> {
        List<Header> h = new ArrayList<>(headers(cam, id));
        h.add(header(HeaderNames.CAMERA_ID, cam));
        yield new Input(id, kind, cam, png, h, null, true, cam, id);
      }
      case RANDOM_BYTES -> {
        byte[] b = new byte[1 + rnd.nextInt(4096)];
        rnd.nextBytes(b);
        while (b[0] == (byte) 0xC3 || b[0] == (byte) 0xFF || b[0] == (byte) 0x89) {
          b[0] = (byte) rnd.nextInt(256);
        }
        yield raw(id, kind, b, DlqReason.UNSUPPORTED_FORMAT);
      }
      case ZEROS -> raw(id, kind, new byte[1 + rnd.nextInt(2048)], DlqReason.UNSUPPORTED_FORMAT);
      case EMPTY -> raw(id, kind, new byte[0], DlqReason.EMPTY);
      case NULL_VALUE -> raw(id, kind, null, DlqReason.EMPTY);
      case TRUNCATED_JPEG -> {
        int sofEnd = sofOffset(jpeg) + 10;
        int cut = 3 + rnd.nextInt(jpeg.length - 5);
        byte[] b = Arrays.copyOf(jpeg, cut);
        yield raw(id, kind, b, cut < sofEnd ? DlqReason.UNREADABLE_HEADER : DlqReason.TRUNCATED);
      }
      case TRUNCATED_PNG -> {
        int cut = 1 + rnd.nextInt(png.length - 13);
        DlqReason r =
            cut < 8
                ? DlqReason.UNSUPPORTED_FORMAT
                : cut < 33 ? DlqReason.UNREADABLE_HEADER : DlqReason.TRUNCATED;
        yield raw(id, kind, Arrays.copyOf(png, cut), r);
      }
      case BITFLIP_JPEG -> raw(id, kind, flip(jpeg, 2), null, false);
      case BITFLIP_PNG -> raw(id, kind, flip(png, 8), null, false);
      case HEADER_CORRUPT_JPEG ->
          raw(id, kind, overwrite(jpeg, 2, sofOffset(jpeg) + 10), null, false);
      case HEADER_CORRUPT_PNG -> raw(id, kind, overwrite(png, 8, 33), null, false);
      case TIFF ->
          raw(
              id,
              kind,
              junkAfter(
                  rnd.nextBoolean() ? new byte[] {'I', 'I', 42, 0} : new byte[] {'M', 'M', 0, 42}),
              DlqReason.UNSUPPORTED_FORMAT);
      case JPEG2000 ->
          raw(
              id,
              kind,
              junkAfter(
                  rnd.nextBoolean()
                      ? new byte[] {
                        0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A
                      }
                      : new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}),
              DlqReason.UNSUPPORTED_FORMAT);
      case BMP -> raw(id, kind, junkAfter(new byte[] {'B', 'M'}), DlqReason.UNSUPPORTED_FORMAT);
      case GIF ->
          raw(
              id,
              kind,
              junkAfter(
                  (rnd.nextBoolean() ? "GIF89a" : "GIF87a").getBytes(StandardCharsets.US_ASCII)),
              DlqReason.UNSUPPORTED_FORMAT);
      case WEBP -> {
        byte[] b = junkAfter("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));
        yield raw(id, kind, b, DlqReason.UNSUPPORTED_FORMAT);
      }
      case HUGE_JPEG_DIMS -> {
        byte[] b = jpeg.clone();
        int o = sofOffset(b);
        int w = 1 + rnd.nextInt(65535);
        int h = MAX_SIDE + 1 + rnd.nextInt(65535 - MAX_SIDE);
        if (rnd.nextBoolean()) {
          int t = w;
          w = h;
          h = t;
        }
        b[o + 5] = (byte) (h >> 8);
        b[o + 6] = (byte) h;
        b[o + 7] = (byte) (w >> 8);
        b[o + 8] = (byte) w;
        yield raw(id, kind, b, DlqReason.TOO_MANY_PIXELS);
      }
      case HUGE_PNG_DIMS -> {
        long big = MAX_SIDE + 1 + (long) (rnd.nextDouble() * (Integer.MAX_VALUE - MAX_SIDE - 1));
        int small = 1 + rnd.nextInt(MAX_SIDE);
        boolean wide = rnd.nextBoolean();
        yield raw(
            id,
            kind,
            Corrupt.hugePng((int) (wide ? big : small), (int) (wide ? small : big)),
            DlqReason.TOO_MANY_PIXELS);
      }
      case PROGRESSIVE_JPEG -> raw(id, kind, progressive, DlqReason.UNSUPPORTED_FORMAT);
      case CMYK_JPEG -> raw(id, kind, cmyk, DlqReason.UNSUPPORTED_FORMAT);
      case ODD_JPEG_CODING -> {
        byte[] b = jpeg.clone();
        int o = sofOffset(b);
        switch (rnd.nextInt(3)) {
          case 0 -> b[o + 1] = (byte) 0xC3; // lossless
          case 1 -> b[o + 1] = (byte) 0xC9; // arithmetic coding
          default -> b[o + 4] = 12; // 12-bit samples
        }
        yield raw(id, kind, b, DlqReason.UNSUPPORTED_FORMAT);
      }
      case PNG_ABSURD_CHUNK -> {
        byte[] b = png.clone();
        int idat = indexOf(b, "IDAT".getBytes(StandardCharsets.US_ASCII)) - 4;
        long length = rnd.nextBoolean() ? 0xFFFFFFFFL : b.length + 1L + rnd.nextInt(1 << 30);
        ByteBuffer.wrap(b, idat, 4).putInt((int) length);
        yield raw(id, kind, b, DlqReason.TRUNCATED);
      }
      case TOO_MANY_BYTES -> {
        byte[] b = Arrays.copyOf(jpeg, MAX_BYTES + 1 + rnd.nextInt(1024));
        yield raw(id, kind, b, DlqReason.TOO_MANY_BYTES);
      }
      case AVRO_WRONG_FINGERPRINT -> {
        byte[] b = new byte[10 + rnd.nextInt(512)];
        rnd.nextBytes(b);
        b[0] = (byte) 0xC3;
        b[1] = 0x01;
        yield raw(id, kind, b, DlqReason.UNKNOWN_SCHEMA);
      }
      case AVRO_TRUNCATED -> {
        byte[] full = avroFrame(cam, cam, id, now, jpeg);
        yield raw(
            id,
            kind,
            Arrays.copyOf(full, 2 + rnd.nextInt(full.length - 3)),
            DlqReason.MALFORMED_RECORD);
      }
      case AVRO_LYING_LENGTH -> raw(id, kind, lyingAvro(cam, id, jpeg), DlqReason.MALFORMED_RECORD);
      case AVRO_BAD_IMAGE -> {
        byte[] bad =
            rnd.nextBoolean()
                ? junkAfter(new byte[] {'B', 'M'})
                : Arrays.copyOf(jpeg, jpeg.length / 2);
        DlqReason r = bad[0] == 'B' ? DlqReason.UNSUPPORTED_FORMAT : DlqReason.TRUNCATED;
        yield new Input(
            id, kind, cam, avroFrame(cam, cam, id, now, bad), List.of(), r, true, cam, id);
      }
      case MISSING_CAMERA ->
          new Input(id, kind, null, jpeg, List.of(), DlqReason.MISSING_CAMERA_ID, true, null, -1);
      case CONTRADICTING_HEADERS -> {
        List<Header> h = new ArrayList<>(headers(cam, id));
        String name = rnd.nextBoolean() ? HeaderNames.CAMERA_ID : HeaderNames.FRAME_SEQ;
        h.add(
            header(
                name, name.equals(HeaderNames.CAMERA_ID) ? cam + "-other" : Long.toString(id + 1)));
        yield new Input(id, kind, cam, jpeg, h, DlqReason.MALFORMED_HEADER, true, cam, id);
      }
      case ABSURD_HEADERS -> absurd(id, cam, jpeg);
    };
  }

  private Input absurd(int id, String cam, byte[] jpeg) {
    List<Header> h = new ArrayList<>();
    String key = cam;
    switch (rnd.nextInt(7)) {
      case 0 -> h.add(header(HeaderNames.FRAME_SEQ, "seq-" + id));
      case 1 -> h.add(header(HeaderNames.FRAME_SEQ, "-" + (1 + rnd.nextInt(1000))));
      case 2 -> h.add(header(HeaderNames.CAPTURE_TS, "-" + (1 + rnd.nextInt(1_000_000))));
      case 3 ->
          h.add(header(HeaderNames.CAPTURE_TS, Long.toString(Long.MAX_VALUE - rnd.nextInt(1000))));
      case 4 -> h.add(header(HeaderNames.CAPTURE_TS, "9".repeat(40)));
      case 5 -> h.add(header(HeaderNames.CAMERA_ID, "c".repeat(257 + rnd.nextInt(100_000))));
      default ->
          h.add(
              new RecordHeader(
                  HeaderNames.CAMERA_ID, new byte[] {'c', 0x01, (byte) 0xFE, (byte) 0xFF}));
    }
    if (h.stream().noneMatch(x -> x.key().equals(HeaderNames.CAMERA_ID))) {
      h.add(header(HeaderNames.CAMERA_ID, cam));
    }
    return new Input(
        id, Kind.ABSURD_HEADERS, key, jpeg, h, DlqReason.MALFORMED_HEADER, true, cam, id);
  }

  private Input raw(int id, Kind kind, byte[] value, DlqReason expected) {
    return raw(id, kind, value, expected, true);
  }

  /** A raw frame with the full set of headers. */
  private Input raw(int id, Kind kind, byte[] value, DlqReason expected, boolean known) {
    String cam = "fz-" + id;
    return new Input(id, kind, cam, value, headers(cam, id), expected, known, cam, id);
  }

  private Input avro(int id, Kind kind, byte[] image, DlqReason expected) {
    String cam = "fz-" + id;
    return new Input(
        id, kind, cam, avroFrame(cam, cam, id, now, image), List.of(), expected, true, cam, id);
  }

  private List<Header> headers(String cam, long seq) {
    return List.of(
        header(HeaderNames.CAMERA_ID, cam),
        header(HeaderNames.VEHICLE_ID, "veh-" + cam),
        header(HeaderNames.FRAME_SEQ, Long.toString(seq)),
        header(HeaderNames.CAPTURE_TS, Long.toString(now + seq)));
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** An Avro CameraFrame value. */
  public static byte[] avroFrame(
      String camera, String vehicle, long seq, long captureTs, byte[] image) {
    return AvroCodec.encode(
        CameraFrame.newBuilder()
            .setCameraId(camera)
            .setVehicleId(vehicle)
            .setFrameSeq(seq)
            .setCaptureTs(Instant.ofEpochMilli(captureTs))
            .setFormat(ImageFormat.JPEG)
            .setImage(ByteBuffer.wrap(image))
            .build());
  }

  /** A CameraFrame whose string or bytes length prefix claims far more than follows. */
  private byte[] lyingAvro(String cam, long seq, byte[] image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xC3);
    out.write(0x01);
    long fp = SchemaNormalization.parsingFingerprint64(CameraFrame.getClassSchema());
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fp).array());
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
    long lie = (1L << (20 + rnd.nextInt(40))) + rnd.nextInt(1000);
    try {
      if (rnd.nextBoolean()) {
        e.writeLong(lie); // camera_id's length
        e.writeFixed(cam.getBytes(StandardCharsets.UTF_8));
      } else {
        e.writeString(cam);
        e.writeIndex(1);
        e.writeString("veh-" + cam);
        e.writeLong(seq);
        e.writeLong(now);
        e.writeEnum(0);
        e.writeLong(lie); // the image's length
        e.writeFixed(image, 0, Math.min(image.length, 256));
      }
      e.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  private byte[] pick(List<byte[]> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  /** {@code magic} followed by 64 to 4,096 random bytes. */
  private byte[] junkAfter(byte[] magic) {
    byte[] b = new byte[magic.length + 64 + rnd.nextInt(4032)];
    rnd.nextBytes(b);
    System.arraycopy(magic, 0, b, 0, magic.length);
    return b;
  }

  /** A copy with 1 to 8 random bits flipped at or after {@code from}. */
  private byte[] flip(byte[] image, int from) {
    byte[] b = image.clone();
    int n = 1 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      int at = from + rnd.nextInt(b.length - from);
      b[at] ^= (byte) (1 << rnd.nextInt(8));
    }
    return b;
  }

  /** A copy with 1 to 4 random bytes in {@code [from, to)} overwritten with random values. */
  private byte[] overwrite(byte[] image, int from, int to) {
    byte[] b = image.clone();
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      b[from + rnd.nextInt(to - from)] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  /** Offset of the JPEG's start-of-frame marker (its FF). */
  public static int sofOffset(byte[] jpeg) {
    int i = 2;
    while (i + 4 <= jpeg.length) {
      int marker = jpeg[i + 1] & 255;
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return i;
      }
      i += 2 + (((jpeg[i + 2] & 255) << 8) | (jpeg[i + 3] & 255));
    }
    throw new IllegalArgumentException("no SOF");
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] encode(RenderedFrame f, String ext, int param, int value) {
    try (Mat m = new Mat(f.height(), f.width(), opencv_core.CV_8UC3);
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(param, value)) {
      m.data().put(f.bgr(), 0, f.width() * f.height() * 3);
      opencv_imgcodecs.imencode(ext, m, buf, params);
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  /** A real four-component (Adobe CMYK) JPEG, written by the JDK's encoder from a raster. */
  private static byte[] cmykJpeg(RenderedFrame f) {
    WritableRaster raster =
        Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, f.width(), f.height(), 4, null);
    byte[] bgr = f.bgr();
    int[] px = new int[4];
    for (int y = 0; y < f.height(); y++) {
      for (int x = 0; x < f.width(); x++) {
        int o = (y * f.width() + x) * 3;
        px[0] = 255 - (bgr[o + 2] & 255);
        px[1] = 255 - (bgr[o + 1] & 255);
        px[2] = 255 - (bgr[o] & 255);
        px[3] = 0;
        raster.setPixel(x, y, px);
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(null, new IIOImage(raster, null, null), w.getDefaultWriteParam());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }
}
