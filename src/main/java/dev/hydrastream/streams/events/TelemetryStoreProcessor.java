package dev.hydrastream.streams.events;

import dev.hydrastream.schema.VehicleTelemetry;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

/**
 * Keeps each vehicle's telemetry history: a checked record ({@link TelemetryInput}) goes into the
 * versioned store at its own measurement time, so records that arrive late or out of order land in
 * their place in the history. A refused record is dead-lettered with its reason.
 */
final class TelemetryStoreProcessor extends ContextualProcessor<String, byte[], Void, Void> {

  private VersionedKeyValueStore<String, VehicleTelemetry> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    super.init(context);
    store = context.getStateStore(EventTopology.TELEMETRY_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    VehicleTelemetry t = TelemetryInput.parse(record.key(), record.value());
    store.put(t.getVehicleId(), t, t.getTimestamp().toEpochMilli());
  }
}
