package dev.hydrastream.streams.perception;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.FrameRejectedException;
import dev.hydrastream.testing.Malformed;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.HeaderNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Property-based tests of input parsing: whatever key, value and headers a {@code camera.frames}
 * record has, {@link FrameInput#parse} returns a frame with usable identity fields or rejects it
 * with a dead-letter reason, and nothing else; Avro bodies behind a known fingerprint never make
 * the decoder allocate what their length prefixes claim.
 */
class FrameInputPropertiesTest {

  private static final String[] NAMES = {
    HeaderNames.CAMERA_ID, HeaderNames.VEHICLE_ID, HeaderNames.FRAME_SEQ, HeaderNames.CAPTURE_TS
  };

  @Property(tries = 3000)
  void anyRecordIsAFrameOrADeadLetter(
      @ForAll("keys") String key,
      @ForAll @Size(max = 512) byte[] value,
      @ForAll("headerValues") List<byte[]> headerValues) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < headerValues.size(); i++) {
      h.add(NAMES[i % NAMES.length], headerValues.get(i));
    }
    verdict(key, value, h);
  }

  @Property(tries = 3000)
  void anyAvroBodyOfAKnownSchemaIsAFrameOrMalformed(@ForAll @Size(max = 2048) byte[] body) {
    byte[] value = new byte[AvroCodec.HEADER_LENGTH + body.length];
    value[0] = (byte) 0xC3;
    value[1] = 0x01;
    long fp = SchemaNormalization.parsingFingerprint64(CameraFrame.getClassSchema());
    ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(fp);
    System.arraycopy(body, 0, value, AvroCodec.HEADER_LENGTH, body.length);
    FrameRejectedException e = verdict("k", value, new RecordHeaders());
    if (e != null) {
      assertThat(e.reason())
          .isIn(DlqReason.MALFORMED_RECORD, DlqReason.EMPTY, DlqReason.UNKNOWN_SCHEMA);
    }
  }

  @Example
  void theCorpusHeadersGetTheirReasons() {
    Malformed corpus = new Malformed(11);
    for (Malformed.Kind k :
        List.of(
            Malformed.Kind.MISSING_CAMERA,
            Malformed.Kind.CONTRADICTING_HEADERS,
            Malformed.Kind.AVRO_WRONG_FINGERPRINT,
            Malformed.Kind.AVRO_TRUNCATED,
            Malformed.Kind.AVRO_LYING_LENGTH,
            Malformed.Kind.EMPTY,
            Malformed.Kind.NULL_VALUE)) {
      for (int i = 0; i < 20; i++) {
        Malformed.Input in = corpus.make(k);
        FrameRejectedException e = verdict(in);
        assertThat(e).as("%s rejected", k).isNotNull();
        assertThat(e.reason()).as(k.name()).isEqualTo(in.expected());
      }
    }
    for (int i = 0; i < 7 * 20; i++) {
      Malformed.Input in = corpus.make(Malformed.Kind.ABSURD_HEADERS);
      FrameRejectedException e = verdict(in);
      assertThat(e).as("absurd headers %s rejected", in.headers()).isNotNull();
      assertThat(e.reason()).isEqualTo(DlqReason.MALFORMED_HEADER);
    }
  }

  /** {@link #verdict(String, byte[], RecordHeaders)} on an input of the corpus. */
  private static FrameRejectedException verdict(Malformed.Input in) {
    RecordHeaders h = new RecordHeaders();
    in.headers().forEach(h::add);
    return verdict(in.key(), in.value(), h);
  }

  /** The parse verdict: null for an accepted frame (checked), else the rejection. */
  private static FrameRejectedException verdict(String key, byte[] value, RecordHeaders h) {
    try {
      FrameInput.Incoming in = FrameInput.parse(key, value, h, 42, 1_700_000_000_000L);
      assertThat(FrameInput.idProblem(in.cameraId())).isNull();
      assertThat(in.vehicleId() == null || FrameInput.idProblem(in.vehicleId()) == null).isTrue();
      assertThat(in.frameSeq()).isNotNegative();
      assertThat(in.captureTs()).isNotNegative();
      return null;
    } catch (FrameRejectedException e) {
      assertThat(e.detail()).isNotBlank();
      return e;
    }
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.<String>just(null),
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
  }

  @Provide
  Arbitrary<List<byte[]>> headerValues() {
    Arbitrary<byte[]> text =
        Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().numeric().ofMaxLength(30))
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    return Arbitraries.oneOf(text, bytes, Arbitraries.just((byte[]) null))
        .list()
        .ofMaxSize(9)
        .map(l -> l.stream().map(b -> b == null ? null : Arrays.copyOf(b, b.length)).toList());
  }
}
