package dev.hydrastream.streams.perception;

import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.FrameRejectedException;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' dead-letter support (KIP-1034) applied to frames: a {@link FrameRejectedException}
 * becomes a record on the dead-letter topic carrying the original key, value and headers plus
 * headers naming the reason, detail and source topic/partition/offset, and processing resumes; the
 * record is written in the same transaction as the input offset. Any other exception is not the
 * frame's fault (model or infrastructure): the thread fails, is replaced, and the uncommitted
 * frames are processed again.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

  /** One log line per reason at most this often (per stream thread's handler). */
  static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private String topic;
  private final Map<DlqReason, long[]> logged = new EnumMap<>(DlqReason.class);

  @Override
  public void configure(Map<String, ?> configs) {
    Object t = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (t == null || t.toString().isBlank()) {
      throw new IllegalArgumentException(
          StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
              + " must be set for "
              + DeadLetterHandler.class.getSimpleName());
    }
    topic = t.toString();
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    FrameRejectedException rejected = rejection(exception);
    if (rejected == null) {
      LOG.error(
          "processing failed at {}-{}@{}: {}",
          context.topic(),
          context.partition(),
          context.offset(),
          exception.toString());
      return Response.fail();
    }
    logRateLimited(context, rejected);
    return Response.resume(List.of(deadLetter(topic, context, rejected)));
  }

  /**
   * Operators see rejects without consuming the dead-letter topic: the first reject of each reason
   * is logged at once, later ones at most every 10 s per reason with the count since.
   */
  private void logRateLimited(ErrorHandlerContext context, FrameRejectedException rejected) {
    long now = System.nanoTime();
    long[] state =
        logged.computeIfAbsent(rejected.reason(), r -> new long[] {now - LOG_INTERVAL_NANOS, 0});
    state[1]++;
    if (now - state[0] >= LOG_INTERVAL_NANOS) {
      LOG.warn(
          "dead-lettered {} record{} as {} (last: {}-{}@{}: {})",
          state[1],
          state[1] == 1 ? "" : "s",
          rejected.reason(),
          context.topic(),
          context.partition(),
          context.offset(),
          rejected.detail());
      state[0] = now;
      state[1] = 0;
    }
  }

  /** The dead-letter record for a rejected frame. */
  static ProducerRecord<byte[], byte[]> deadLetter(
      String topic, ErrorHandlerContext context, FrameRejectedException rejected) {
    RecordHeaders headers = new RecordHeaders();
    if (context.headers() != null) {
      for (Header h : context.headers()) {
        if (!h.key().startsWith(HeaderNames.DLQ_PREFIX)) {
          headers.add(h);
        }
      }
    }
    put(headers, HeaderNames.DLQ_REASON, rejected.reason().name());
    put(headers, HeaderNames.DLQ_DETAIL, rejected.detail());
    put(headers, HeaderNames.DLQ_SOURCE_TOPIC, String.valueOf(context.topic()));
    put(headers, HeaderNames.DLQ_SOURCE_PARTITION, String.valueOf(context.partition()));
    put(headers, HeaderNames.DLQ_SOURCE_OFFSET, String.valueOf(context.offset()));
    put(headers, HeaderNames.DLQ_PROCESSOR, context.processorNodeId());
    Long ts = context.timestamp() >= 0 ? context.timestamp() : null;
    return new ProducerRecord<>(
        topic, null, ts, context.sourceRawKey(), context.sourceRawValue(), headers);
  }

  private static void put(RecordHeaders h, String key, String value) {
    h.add(key, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
  }

  private static FrameRejectedException rejection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FrameRejectedException r) {
        return r;
      }
    }
    return null;
  }
}
