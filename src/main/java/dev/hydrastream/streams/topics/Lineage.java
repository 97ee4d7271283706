package dev.hydrastream.streams.topics;

import dev.hydrastream.config.ResultSettings;
import dev.hydrastream.config.ServiceVersion;
import dev.hydrastream.config.Settings;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.wire.HeaderNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The lineage headers of every result ({@link HeaderNames#LINEAGE}): the model that answered the
 * frame (from the frame's own result, never "the current model"), the frame's topic, partition and
 * offset, the service version ({@link ServiceVersion}) and the digest of the result-changing
 * settings with that model ({@link ResultSettings}). Nothing in them depends on the clock or the
 * instance, so a replay of the same frames with the same model and settings writes the same
 * headers. Records derived from a frame further on (events, alerts) {@link #copy} the frame's.
 * Thread-safe: one instance serves every stream thread.
 */
public final class Lineage {

  private final Settings settings;
  private final String serviceVersion;
  private final String alertRulesSha256;
  private final Map<ModelIdentity, String> digests = new ConcurrentHashMap<>();

  private Lineage(Settings settings, String serviceVersion, String alertRulesSha256) {
    this.settings = settings;
    this.serviceVersion = serviceVersion;
    this.alertRulesSha256 = alertRulesSha256;
  }

  /**
   * The lineage of a service with these settings (reads the alert rules file with {@code
   * telemetry.enabled}, for its digest).
   */
  public static Lineage of(Settings settings) {
    return new Lineage(
        settings,
        ServiceVersion.get(),
        settings.getBoolean(Settings.TELEMETRY_ENABLED)
            ? ModelCard.sha256(settings.alertRulesFile())
            : "");
  }

  /** The settings digest of results answered by {@code model} (computed once per model). */
  public String digest(ModelIdentity model) {
    return digests.computeIfAbsent(
        model, m -> ResultSettings.digest(settings, m, alertRulesSha256));
  }

  /** The service version the headers name. */
  public String serviceVersion() {
    return serviceVersion;
  }

  /**
   * Adds the lineage headers of a result of the frame at {@code source}, answered by {@code model}.
   */
  public void addTo(Headers h, ModelIdentity model, RecordMetadata source) {
    put(h, HeaderNames.MODEL_NAME, model.name());
    put(h, HeaderNames.MODEL_VERSION, model.version());
    put(h, HeaderNames.MODEL_SHA256, model.sha256());
    put(h, HeaderNames.SOURCE_TOPIC, source.topic());
    put(h, HeaderNames.SOURCE_PARTITION, Integer.toString(source.partition()));
    put(h, HeaderNames.SOURCE_OFFSET, Long.toString(source.offset()));
    put(h, HeaderNames.SERVICE_VERSION, serviceVersion);
    put(h, HeaderNames.SETTINGS_DIGEST, digest(model));
  }

  /** Copies the lineage headers {@code from} has onto {@code to} (a record derived from it). */
  public static Headers copy(Headers from, Headers to) {
    for (String name : HeaderNames.LINEAGE) {
      Header v = from == null ? null : from.lastHeader(name);
      if (v != null) {
        to.remove(name);
        to.add(name, v.value());
      }
    }
    return to;
  }

  /**
   * The lineage headers {@code from} has as bytes, for a record kept in a store ({@link #decode}
   * reads them back): per header, its index in {@link HeaderNames#LINEAGE} (a byte), the value's
   * length (an int) and the value.
   */
  public static byte[] encode(Headers from) {
    int size = 0;
    for (String name : HeaderNames.LINEAGE) {
      Header v = from == null ? null : from.lastHeader(name);
      size += v == null ? 0 : 1 + 4 + v.value().length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    for (int i = 0; i < HeaderNames.LINEAGE.size(); i++) {
      Header v = from == null ? null : from.lastHeader(HeaderNames.LINEAGE.get(i));
      if (v != null) {
        b.put((byte) i).putInt(v.value().length).put(v.value());
      }
    }
    return b.array();
  }

  /**
   * Adds the headers {@link #encode} wrote to {@code to}.
   *
   * @throws IllegalStateException when the bytes are not such headers
   */
  public static Headers decode(ByteBuffer from, Headers to) {
    while (from.hasRemaining()) {
      int i = from.get();
      if (i < 0 || i >= HeaderNames.LINEAGE.size() || from.remaining() < 4) {
        throw new IllegalStateException(
            "stored lineage headers are damaged (header index " + i + ")");
      }
      int n = from.getInt();
      if (n < 0 || n > from.remaining()) {
        throw new IllegalStateException("stored lineage headers are damaged (length " + n + ")");
      }
      byte[] v = new byte[n];
      from.get(v);
      to.add(HeaderNames.LINEAGE.get(i), v);
    }
    return to;
  }

  private static void put(Headers h, String name, String value) {
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
