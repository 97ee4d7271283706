package dev.hydrastream.streams.events;

import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.streams.topics.Lineage;
import dev.hydrastream.telemetry.AlertState;
import dev.hydrastream.telemetry.RuleEngine;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Evaluates the alert rules on each event with the vehicle's rule state ({@link AlertState}) from a
 * changelogged store keyed by vehicle, so durations and suppression windows survive restarts and
 * move with their partition; under exactly-once the state, the alerts and the input offset commit
 * together.
 */
final class AlertProcessor
    extends ContextualProcessor<String, PerceptionEvent, String, PerceptionAlert> {

  private final RuleEngine engine;
  private final String contentType;
  private KeyValueStore<String, byte[]> store;

  AlertProcessor(RuleEngine engine, String contentType) {
    this.engine = engine;
    this.contentType = contentType;
  }

  @Override
  public void init(ProcessorContext<String, PerceptionAlert> context) {
    super.init(context);
    store = context.getStateStore(EventTopology.ALERT_STATE);
  }

  @Override
  public void process(Record<String, PerceptionEvent> record) {
    byte[] before = store.get(record.key());
    AlertState state = AlertState.fromBytes(before);
    for (PerceptionAlert a :
        engine.evaluate(record.value(), state, context().currentSystemTimeMs())) {
      Headers h =
          ResultHeaders.of(
              a.getFrameId(),
              a.getCameraId(),
              a.getCaptureTs(),
              contentType,
              a.getSchema().getFullName());
      h.add(HeaderNames.RULE_ID, a.getRuleId().getBytes(StandardCharsets.UTF_8));
      h.add(HeaderNames.SEVERITY, a.getSeverity().name().getBytes(StandardCharsets.UTF_8));
      Lineage.copy(record.headers(), h);
      context().forward(new Record<>(record.key(), a, record.timestamp(), h));
    }
    // most events change nothing: no store write, so no changelog record
    if (state.isEmpty()) {
      if (before != null) {
        store.delete(record.key());
      }
    } else {
      byte[] after = state.toBytes();
      if (!Arrays.equals(before, after)) {
        store.put(record.key(), after);
      }
    }
  }
}
