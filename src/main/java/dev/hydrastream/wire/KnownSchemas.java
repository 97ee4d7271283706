package dev.hydrastream.wire;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.DetectionResult;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SceneResult;
import dev.hydrastream.schema.SegmentationResult;
import dev.hydrastream.schema.ShadowResult;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.schema.VehicleTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The writer schemas the Avro decoder accepts, by fingerprint: the current schema of every record
 * in the contract plus its released snapshots ({@code schemas/history/vN/Name.avsc}, packaged as
 * resources), so values written by older producers still decode. It is an Avro {@link SchemaStore},
 * so it also plugs into {@code BinaryMessageDecoder}. Immutable.
 */
public final class KnownSchemas implements SchemaStore {

  /** Current schemas of the top-level records of the contract, frame input first. */
  public static final List<Schema> CURRENT =
      List.of(
          CameraFrame.getClassSchema(),
          ClassificationResult.getClassSchema(),
          SceneResult.getClassSchema(),
          DetectionResult.getClassSchema(),
          SegmentationResult.getClassSchema(),
          PerceptionFrame.getClassSchema(),
          TrackResult.getClassSchema(),
          VehicleTelemetry.getClassSchema(),
          PerceptionEvent.getClassSchema(),
          PerceptionAlert.getClassSchema(),
          ShadowResult.getClassSchema());

  /** Classpath folder of the snapshots: {@code v1/}, {@code v2/}, ... each with Name.avsc files. */
  public static final String HISTORY_RESOURCE = "/dev/hydrastream/schema/history/";

  private static final class Standard {
    static final KnownSchemas INSTANCE = load();

    private static KnownSchemas load() {
      List<Schema> all = new ArrayList<>(CURRENT);
      for (Schema current : CURRENT) {
        all.addAll(released(current.getName()).values());
      }
      return of(all);
    }
  }

  private final Map<Long, Schema> byFingerprint;

  private KnownSchemas(Map<Long, Schema> byFingerprint) {
    this.byFingerprint = Collections.unmodifiableMap(byFingerprint);
  }

  /** The current schemas and every released snapshot on the classpath (loaded once). */
  public static KnownSchemas standard() {
    return Standard.INSTANCE;
  }

  /**
   * The given schemas. Of schemas with equal fingerprints (they differ only in docs, defaults or
   * other attributes outside the parsing canonical form) the first is kept.
   */
  public static KnownSchemas of(Collection<Schema> schemas) {
    Map<Long, Schema> map = new LinkedHashMap<>();
    for (Schema s : schemas) {
      map.putIfAbsent(fingerprint(s), s);
    }
    return new KnownSchemas(map);
  }

  /** These schemas plus {@code more}. */
  public KnownSchemas with(Schema... more) {
    List<Schema> all = new ArrayList<>(byFingerprint.values());
    all.addAll(List.of(more));
    return of(all);
  }

  /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form (single-object header). */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** Every known schema, in the order added. */
  public Collection<Schema> all() {
    return byFingerprint.values();
  }

  /**
   * The released snapshots of record {@code name} (simple name, e.g. {@code CameraFrame}) on the
   * classpath, by version number. Versions are {@code v1, v2, ...} without gaps; a version folder
   * may lack records that did not exist then.
   *
   * @throws IllegalStateException if a snapshot cannot be read or parsed
   */
  public static Map<Integer, Schema> released(String name) {
    Map<Integer, Schema> out = new LinkedHashMap<>();
    for (int v = 1; versionExists(v); v++) {
      String path = HISTORY_RESOURCE + "v" + v + "/" + name + ".avsc";
      try (InputStream in = KnownSchemas.class.getResourceAsStream(path)) {
        if (in != null) {
          out.put(v, new Schema.Parser().parse(in));
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot read schema snapshot " + path + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static boolean versionExists(int v) {
    for (Schema current : CURRENT) {
      String path = HISTORY_RESOURCE + "v" + v + "/" + current.getName() + ".avsc";
      if (KnownSchemas.class.getResource(path) != null) {
        return true;
      }
    }
    return false;
  }
}
