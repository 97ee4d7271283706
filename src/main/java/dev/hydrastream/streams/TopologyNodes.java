package dev.hydrastream.streams;

/**
 * Names of the perception topology's nodes, shared by the topology that creates them and the
 * processor that forwards to them (the committed description in {@code topologies/} shows them).
 */
final class TopologyNodes {

  static final String SOURCE = "camera-frames";
  static final String PERCEIVE = "perceive";
  static final String SINK_CLASSIFICATION = "classification-out";
  static final String SINK_DETECTIONS = "detections-out";
  static final String SINK_SEGMENTATION = "segmentation-out";
  static final String SINK_SCENE = "scene-out";
  static final String SINK_FRAMES = "frames-out";
  static final String LATEST = "latest-frame";
  static final String TRACK = "track";
  static final String TRACKER_STORE = "tracker-state";
  static final String SINK_TRACKS = "tracks-out";

  private TopologyNodes() {}
}
