package dev.hydrastream.streams.events;

import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of the records the event stages write (perception.events, perception.alerts): the
 * same names and meaning as on every result topic, so readers count and time them alike.
 */
final class ResultHeaders {

  private ResultHeaders() {}

  static Headers of(
      String frameId, String cameraId, Instant captureTs, String contentType, String schema) {
    String[][] pairs = {
      {HeaderNames.FRAME_ID, frameId},
      {HeaderNames.CAMERA_ID, cameraId},
      {HeaderNames.CAPTURE_TS, Long.toString(captureTs.toEpochMilli())},
      {HeaderNames.CONTENT_TYPE, contentType},
      {HeaderNames.SCHEMA, schema}
    };
    RecordHeaders h = new RecordHeaders();
    for (String[] p : pairs) {
      h.add(p[0], p[1].getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }
}
