package dev.hydrastream.streams.dashboard;

import dev.hydrastream.streams.timing.CameraClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries of the latest-per-camera store: what this instance holds, and which instance
 * ({@code application.server} host:port) holds a camera that is not here. The store's values are
 * {@link LatestFrame} JSON documents.
 *
 * @throws org.apache.kafka.streams.errors.InvalidStateStoreException from the local reads while the
 *     store is not queryable (starting, rebalancing, stopped)
 */
public final class LatestFrames {

  /**
   * Name of the store (its changelog topic is {@code <application.id>-latest-frames-changelog}).
   */
  public static final String STORE = "latest-frames";

  private final KafkaStreams streams;
  private final HostInfo self;

  /** The store's changelog topic for an application id. */
  public static String changelog(String applicationId) {
    return applicationId + "-" + STORE + "-changelog";
  }

  /**
   * @param self this instance's {@code application.server}, or null when it has none (single
   *     instance: everything is local)
   */
  public LatestFrames(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  /** This instance's {@code application.server}, if it has one. */
  public Optional<HostInfo> self() {
    return Optional.ofNullable(self);
  }

  /**
   * The instance whose store holds {@code cameraId}'s entry (the owner of its partition of {@code
   * camera.frames}); empty while no instance owns it or when this one has no {@code
   * application.server} (then ask {@link #local}).
   */
  public Optional<HostInfo> owner(String cameraId) {
    if (self == null) {
      return Optional.empty();
    }
    KeyQueryMetadata m = streams.queryMetadataForKey(STORE, cameraId, Serdes.String().serializer());
    if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE) || m.activeHost().port() < 0) {
      return Optional.empty();
    }
    return Optional.of(m.activeHost());
  }

  /** Whether {@code host} is this instance. */
  public boolean isSelf(HostInfo host) {
    return self == null || self.equals(host);
  }

  /** The other instances that hold part of the store. */
  public List<HostInfo> others() {
    List<HostInfo> out = new ArrayList<>();
    if (self == null) {
      return out;
    }
    for (StreamsMetadata m : streams.streamsMetadataForStore(STORE)) {
      if (!m.hostInfo().equals(self) && !out.contains(m.hostInfo())) {
        out.add(m.hostInfo());
      }
    }
    return out;
  }

  /** This instance's entry for {@code cameraId}. */
  public Optional<byte[]> local(String cameraId) {
    return Optional.ofNullable(store().get(cameraId));
  }

  /** Every entry of this instance, by camera id. */
  public Map<String, byte[]> localAll() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> it = store().all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        out.put(kv.key, kv.value);
      }
    }
    return out;
  }

  /**
   * Every camera clock of this instance (the {@value CameraClock#STORE} store: last answered
   * capture time, late and out-of-order counts), by camera id. Its partitions are those of the
   * latest-frame store, so a camera's clock lives where its latest frame does.
   */
  public Map<String, CameraClock> localClocks() {
    Map<String, CameraClock> out = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> it = store(CameraClock.STORE).all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        out.put(kv.key, CameraClock.decode(kv.value));
      }
    }
    return out;
  }

  private ReadOnlyKeyValueStore<String, byte[]> store() {
    return store(STORE);
  }

  private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
  }
}
