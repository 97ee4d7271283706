package dev.hydrastream.streams.events;

import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.streams.topics.Lineage;
import dev.hydrastream.telemetry.EventBuilder;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.HeaderNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * The temporal join: each event is completed with the vehicle state valid at its capture time, the
 * as-of lookup {@code get(vehicle, captureTs)} of the versioned telemetry store (KIP-889, the
 * lookup the DSL's versioned stream-table join makes, KIP-914). Telemetry older than {@code
 * telemetry.max.staleness.ms} at capture time is not joined (STALE).
 *
 * <p>Grace: an event waits in a changelogged buffer (ordered by capture time) so telemetry that
 * arrives late or out of order can still be used. It is joined once events {@code grace} newer have
 * arrived in its partition (event time, as the DSL join's buffer does) or, unlike the DSL join,
 * once it has waited {@code grace} of wall-clock time: a vehicle that stops sending frames (end of
 * a trip, end of a demo) still gets events for its last frames. Events leave the buffer in capture
 * order; an event already older than the buffer's horizon is joined at once.
 */
final class TelemetryJoinProcessor
    extends ContextualProcessor<String, byte[], String, PerceptionEvent> {

  private final long graceMs;
  private final long maxStalenessMs;
  private final String contentType;
  private VersionedKeyValueStore<String, VehicleTelemetry> telemetry;
  private KeyValueStore<Bytes, byte[]> buffer;
  private long observedStreamTime = Long.MIN_VALUE;

  TelemetryJoinProcessor(long graceMs, long maxStalenessMs, String contentType) {
    this.graceMs = graceMs;
    this.maxStalenessMs = maxStalenessMs;
    this.contentType = contentType;
  }

  @Override
  public void init(ProcessorContext<String, PerceptionEvent> context) {
    super.init(context);
    telemetry = context.getStateStore(EventTopology.TELEMETRY_STORE);
    buffer = context.getStateStore(EventTopology.JOIN_BUFFER);
    if (graceMs > 0) {
      long every = Math.max(10, Math.min(100, graceMs / 5));
      context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    long ts = record.timestamp();
    observedStreamTime = Math.max(observedStreamTime, ts);
    if (graceMs == 0 || ts < observedStreamTime - graceMs) {
      emit(record.key(), record.value(), ts, record.headers());
      return;
    }
    // the repartition offset makes the key unique (and orders equal capture times by arrival)
    // without decoding the event
    long offset = context().recordMetadata().map(m -> m.offset()).orElse(-1L);
    buffer.put(
        bufferKey(ts, offset),
        bufferValue(
            context().currentSystemTimeMs(),
            record.key(),
            Lineage.encode(record.headers()),
            record.value()));
    release(observedStreamTime - graceMs, Long.MIN_VALUE);
  }

  /** Wall-clock punctuation: releases events that have waited the grace period. */
  private void expire(long now) {
    release(observedStreamTime - graceMs, now - graceMs);
  }

  /**
   * Joins and forwards, in capture order, every buffered event up to the last one that is either at
   * or before {@code horizon} (event time) or arrived at or before {@code arrivedBy}.
   */
  private void release(long horizon, long arrivedBy) {
    List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
    int last = -1;
    try (KeyValueIterator<Bytes, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        long ts = captureTs(kv.key);
        if (arrivedBy == Long.MIN_VALUE && ts > horizon) {
          break; // event time only: the rest is newer
        }
        due.add(kv);
        if (ts <= horizon || ByteBuffer.wrap(kv.value).getLong() <= arrivedBy) {
          last = due.size() - 1;
        }
      }
    }
    for (int i = 0; i <= last; i++) {
      KeyValue<Bytes, byte[]> kv = due.get(i);
      buffer.delete(kv.key);
      ByteBuffer v = ByteBuffer.wrap(kv.value);
      v.getLong();
      int keyLength = v.getInt();
      // a negative length marks an entry with the frame's lineage headers (older ones have none)
      byte[] key = new byte[keyLength < 0 ? -1 - keyLength : keyLength];
      v.get(key);
      Headers lineage = new RecordHeaders();
      if (keyLength < 0) {
        byte[] stored = new byte[v.getInt()];
        v.get(stored);
        Lineage.decode(ByteBuffer.wrap(stored), lineage);
      }
      byte[] event = new byte[v.remaining()];
      v.get(event);
      long ts = captureTs(kv.key);
      emit(new String(key, StandardCharsets.UTF_8), event, ts, lineage);
    }
  }

  /**
   * Decodes the event (once: it was buffered as its bytes), joins it and forwards it with the
   * lineage headers of its frame ({@code from}).
   */
  private void emit(String key, byte[] bytes, long ts, Headers from) {
    PerceptionEvent event = AvroCodec.standard().decode(bytes, PerceptionEvent.class);
    VehicleTelemetry state = null;
    if (event.getVehicleId() != null) {
      VersionedRecord<VehicleTelemetry> r = telemetry.get(event.getVehicleId(), ts);
      state = r == null ? null : r.value();
    }
    EventBuilder.join(event, state, maxStalenessMs, context().currentSystemTimeMs());
    Headers h =
        ResultHeaders.of(
            event.getFrameId(),
            event.getCameraId(),
            event.getCaptureTs(),
            contentType,
            event.getSchema().getFullName());
    h.add(HeaderNames.TELEMETRY_STATUS, utf8(event.getTelemetryStatus().name()));
    Lineage.copy(from, h);
    context().forward(new Record<>(key, event, ts, h));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Capture time first (sign bit flipped, big-endian: the store's byte order is capture order),
   * then the event's offset in its repartition partition. Entries an earlier version buffered
   * (capture time, then the frame id) read the same way.
   */
  private static Bytes bufferKey(long ts, long offset) {
    return Bytes.wrap(
        ByteBuffer.allocate(16)
            .putLong(ts ^ Long.MIN_VALUE)
            .putLong(offset ^ Long.MIN_VALUE)
            .array());
  }

  private static long captureTs(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
  }

  /**
   * Arrival wall-clock time, {@code -1 - length} of the record key (negative: lineage follows), the
   * key, the length of the frame's lineage headers ({@link Lineage#encode}), those headers, the
   * event's single-object Avro bytes. Entries an earlier version buffered (the key's length, not
   * negated, and no lineage) read as events without lineage.
   */
  private static byte[] bufferValue(long now, String key, byte[] lineage, byte[] e) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + 4 + k.length + 4 + lineage.length + e.length)
        .putLong(now)
        .putInt(-1 - k.length)
        .put(k)
        .putInt(lineage.length)
        .put(lineage)
        .put(e)
        .array();
  }
}
