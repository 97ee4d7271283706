package dev.hydrastream.streams;

/**
 * Names of the perception topology's nodes, shared by the topology that creates them and the
 * processor that forwards to them (the committed description in {@code topologies/} shows them).
 * The result sinks are named in {@link ResultOutput}.
 */
final class TopologyNodes {

  static final String SOURCE = "camera-frames";
  static final String PERCEIVE = "perceive";
  static final String LATEST = "latest-frame";
  static final String TRACK = "track";
  static final String TRACKER_STORE = "tracker-state";

  private TopologyNodes() {}
}
