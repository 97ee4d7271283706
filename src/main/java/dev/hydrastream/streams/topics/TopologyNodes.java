package dev.hydrastream.streams.topics;

import org.apache.kafka.streams.Topology;

/**
 * Names of the perception topology's nodes, shared by the topology that creates them and the
 * processor that forwards to them (the committed description in {@code topologies/} shows them).
 * The result sinks are named in {@link ResultOutput}.
 */
public final class TopologyNodes {

  public static final String SOURCE = "camera-frames";
  public static final String PERCEIVE = "perceive";
  public static final String LATEST = "latest-frame";
  public static final String TRACK = "track";
  public static final String TRACKER_STORE = "tracker-state";

  /** The sink of perception.shadow, in the topology only while a shadow runs (shadow.model). */
  public static final String SHADOW = "shadow-out";

  private TopologyNodes() {}

  /** Adds a sink writing {@code parent}'s records to {@code topic} with its serdes. */
  public static <V> void sink(
      Topology t, String node, Topics.Topic<String, V> topic, String parent) {
    t.addSink(
        node, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parent);
  }
}
