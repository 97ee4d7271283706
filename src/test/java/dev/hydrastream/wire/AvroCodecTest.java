package dev.hydrastream.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.PerceptionFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Single-object encoding: round trips, the three decode outcomes and hostile bodies. */
class AvroCodecTest {

  private final AvroCodec codec = AvroCodec.standard();

  private static byte[] image(String ext) {
    try (Mat m = new Mat(48, 64, opencv_core.CV_8UC3, new Scalar(30, 120, 200, 0));
        BytePointer buf = new BytePointer()) {
      opencv_imgcodecs.imencode(ext, m, buf);
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  @Test
  void everyRecordRoundTrips() {
    for (SpecificRecord r : Samples.records()) {
      byte[] bytes = AvroCodec.encode(r);
      assertThat(bytes[0]).isEqualTo((byte) 0xC3);
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
      assertThat(AvroCodec.fingerprint(bytes)).isEqualTo(KnownSchemas.fingerprint(r.getSchema()));
      assertThat(codec.decode(bytes, r.getClass())).as(r.getSchema().getName()).isEqualTo(r);
    }
  }

  @Test
  void theOodScoreRoundTripsPresentAndAbsent() {
    PerceptionFrame with = (PerceptionFrame) Samples.records().get(6);
    PerceptionFrame without = (PerceptionFrame) Samples.records().get(8);
    ClassificationResult classification = (ClassificationResult) Samples.records().get(2);
    assertThat(codec.decode(AvroCodec.encode(with), PerceptionFrame.class).getOodScore())
        .isEqualTo(Samples.OOD_SCORE);
    assertThat(codec.decode(AvroCodec.encode(without), PerceptionFrame.class).getOodScore())
        .isNull();
    assertThat(
            codec
                .decode(AvroCodec.encode(classification), ClassificationResult.class)
                .getOodScore())
        .isEqualTo(Samples.OOD_SCORE);
  }

  @Test
  void bytesAreAvrosOwnSingleObjectEncoding() throws Exception {
    CameraFrame frame = Samples.frame("veh-9");
    ByteBuffer own = frame.toByteBuffer();
    byte[] expected = new byte[own.remaining()];
    own.get(expected);
    byte[] bytes = AvroCodec.encode(frame);
    assertThat(bytes).isEqualTo(expected);
    assertThat(CameraFrame.getDecoder().decode(bytes)).isEqualTo(frame);
    assertThat(codec.decodeFrame(bytes)).isEqualTo(frame);
  }

  @Test
  void rawImagesAreNotAvro() {
    assertThat(codec.decodeFrame(image(".jpg"))).isNull();
    assertThat(codec.decodeFrame(image(".png"))).isNull();
    assertThat(codec.decodeFrame(new byte[0])).isNull();
    assertThat(codec.decodeFrame(new byte[] {(byte) 0xC3})).isNull();
    assertThat(codec.decodeFrame(null)).isNull();
    assertThat(AvroCodec.isSingleObject(image(".jpg"))).isFalse();
  }

  @Test
  void unknownFingerprintIsUnknownSchema() {
    byte[] bytes = AvroCodec.encode(Samples.frame("veh-9"));
    bytes[2] ^= 0x55;
    long fp = AvroCodec.fingerprint(bytes);
    assertThatThrownBy(() -> codec.decodeFrame(bytes))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessageContaining(String.format("%016x", fp))
        .hasMessageContaining("dev.hydrastream.schema.CameraFrame")
        .satisfies(e -> assertThat(((UnknownSchemaException) e).fingerprint()).isEqualTo(fp));
  }

  @Test
  void anotherRecordsFingerprintIsUnknownForFrames() {
    byte[] classification = AvroCodec.encode(Samples.records().get(2));
    assertThatThrownBy(() -> codec.decodeFrame(classification))
        .isInstanceOf(UnknownSchemaException.class);
    assertThat(codec.decode(classification, ClassificationResult.class)).isNotNull();
  }

  @Test
  void corruptBodiesAreMalformed() {
    byte[] bytes = AvroCodec.encode(Samples.frame("veh-9"));
    // truncated body
    assertThatThrownBy(() -> codec.decodeFrame(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("CameraFrame");
    // truncated header
    assertThatThrownBy(() -> codec.decodeFrame(Arrays.copyOf(bytes, 6)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("header");
    // trailing bytes
    assertThatThrownBy(() -> codec.decodeFrame(Arrays.copyOf(bytes, bytes.length + 2)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("after the record");
    // enum index out of range: the byte before the image length (7 bytes) is the format index
    byte[] badEnum = bytes.clone();
    int formatAt = bytes.length - 7 - 2;
    assertThat(badEnum[formatAt]).isEqualTo((byte) 2); // zig-zag of 1 = PNG
    badEnum[formatAt] = 40;
    assertThatThrownBy(() -> codec.decodeFrame(badEnum))
        .isInstanceOf(MalformedRecordException.class);
  }

  @Test
  void aHugeLengthPrefixFailsWithoutAllocatingIt() {
    CameraFrame frame = Samples.frame("veh-9");
    frame.setImage(ByteBuffer.allocate(0));
    byte[] bytes = AvroCodec.encode(frame);
    assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 0); // image length 0, last
    ByteArrayOutputStream patched = new ByteArrayOutputStream();
    patched.write(bytes, 0, bytes.length - 1);
    long zigzag = (1L << 30) << 1; // claims a 1 GiB image
    while ((zigzag & ~0x7FL) != 0) {
      patched.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    patched.write((int) zigzag);
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThatThrownBy(() -> codec.decodeFrame(patched.toByteArray()))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("bytes left");
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThat(after - before).isLessThan(512L << 20);
  }

  @Test
  void randomDamageGivesARecordOrMalformedNeverAnythingElse() {
    byte[] good = AvroCodec.encode(Samples.records().get(6)); // fused, every head
    Random rnd = new Random(7);
    int decoded = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] bad = good.clone();
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        bad[AvroCodec.HEADER_LENGTH + rnd.nextInt(bad.length - AvroCodec.HEADER_LENGTH)] =
            (byte) rnd.nextInt(256);
      }
      try {
        assertThat(codec.decode(bad, PerceptionFrame.class)).isNotNull();
        decoded++;
      } catch (MalformedRecordException expected) {
        // the only acceptable failure
      }
    }
    assertThat(decoded).isLessThan(2000);
  }

  @Test
  void olderWriterVersionsDecodeOnceRegistered() {
    // a hypothetical earlier CameraFrame without vehicle_id
    Schema current = CameraFrame.getClassSchema();
    String json =
        current.toString().replaceFirst("\\{\"name\":\"vehicle_id\".*?\"default\":null},", "");
    Schema old = new Schema.Parser().parse(json);
    assertThat(old.getField("vehicle_id")).isNull();
    GenericRecord rec = new GenericData.Record(old);
    rec.put("camera_id", "cam-old");
    rec.put("frame_seq", 5L);
    rec.put("capture_ts", 1_600_000_000_000L);
    rec.put("format", new GenericData.EnumSymbol(old.getField("format").schema(), "JPEG"));
    rec.put("image", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    byte[] bytes = encode(old, rec);

    assertThatThrownBy(() -> codec.decodeFrame(bytes)).isInstanceOf(UnknownSchemaException.class);
    CameraFrame frame = new AvroCodec(KnownSchemas.standard().with(old)).decodeFrame(bytes);
    assertThat(frame.getCameraId()).isEqualTo("cam-old");
    assertThat(frame.getVehicleId()).isNull();
    assertThat(frame.getCaptureTs().toEpochMilli()).isEqualTo(1_600_000_000_000L);
    assertThat(frame.getImage()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
  }

  static byte[] encode(Schema schema, GenericRecord rec) {
    try {
      ByteBuffer buf =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(rec);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
