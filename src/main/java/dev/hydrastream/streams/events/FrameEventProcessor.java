package dev.hydrastream.streams.events;

import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.FrameRejectedException;
import dev.hydrastream.telemetry.EventBuilder;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.JsonRecordReader;
import dev.hydrastream.wire.MalformedRecordException;
import dev.hydrastream.wire.UnknownSchemaException;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First event stage: reads a {@code perception.frames} record (Avro or JSON, as {@code
 * output.format} wrote it), summarizes its perception ({@link EventBuilder#perceive}), resolves its
 * vehicle (the frame's {@code vehicle_id}, else {@code camera.vehicles}) and forwards the event
 * keyed by vehicle (by camera when there is none) with the frame's capture time as the record
 * timestamp, the time the join looks telemetry up at. The event travels as its single-object Avro
 * bytes: the join buffers those bytes as they are and decodes them once, when it joins.
 */
final class FrameEventProcessor extends ContextualProcessor<String, byte[], String, byte[]> {

  private final Map<String, String> cameraVehicles;

  FrameEventProcessor(Map<String, String> cameraVehicles) {
    this.cameraVehicles = cameraVehicles;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    PerceptionFrame frame = parse(record.value());
    String vehicle = frame.getVehicleId();
    if (vehicle == null || vehicle.isBlank()) {
      vehicle = cameraVehicles.get(frame.getCameraId());
    }
    PerceptionEvent event = EventBuilder.perceive(frame, vehicle);
    context()
        .forward(
            new Record<>(
                vehicle != null ? vehicle : frame.getCameraId(),
                AvroCodec.encode(event),
                frame.getCaptureTs().toEpochMilli(),
                record.headers()));
  }

  static PerceptionFrame parse(byte[] value) {
    if (value == null || value.length == 0) {
      throw new FrameRejectedException(DlqReason.EMPTY, "null or empty perception.frames value");
    }
    try {
      return AvroCodec.isSingleObject(value)
          ? AvroCodec.standard().decode(value, PerceptionFrame.class)
          : JsonRecordReader.read(value, PerceptionFrame.class);
    } catch (UnknownSchemaException e) {
      throw new FrameRejectedException(DlqReason.UNKNOWN_SCHEMA, e.getMessage());
    } catch (MalformedRecordException e) {
      throw new FrameRejectedException(DlqReason.MALFORMED_RECORD, e.getMessage());
    }
  }
}
