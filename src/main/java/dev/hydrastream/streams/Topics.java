package dev.hydrastream.streams;

import java.util.List;

/**
 * The typed registry of topic names: code never spells a topic name twice. Names are the
 * defaults of DESIGN.md under {@code topic.prefix}.
 *
 * @param prefix prefix of every name
 */
public record Topics(String prefix) {

  /** One topic: its role in the pipeline and its full name. */
  public record Topic(String role, String name) {}

  public static final String CAMERA_FRAMES = "camera.frames";
  public static final String CLASSIFICATION = "perception.classification";
  public static final String DETECTIONS = "perception.detections";
  public static final String SEGMENTATION = "perception.segmentation";
  public static final String SCENE = "perception.scene";
  public static final String FRAMES = "perception.frames";
  public static final String DLQ = "perception.dlq";

  public Topic cameraFrames() {
    return topic(CAMERA_FRAMES);
  }

  public Topic classification() {
    return topic(CLASSIFICATION);
  }

  public Topic detections() {
    return topic(DETECTIONS);
  }

  public Topic segmentation() {
    return topic(SEGMENTATION);
  }

  public Topic scene() {
    return topic(SCENE);
  }

  public Topic frames() {
    return topic(FRAMES);
  }

  public Topic dlq() {
    return topic(DLQ);
  }

  /** The per-task result topics, then the fused one. */
  public List<Topic> results() {
    return List.of(classification(), detections(), segmentation(), scene(), frames());
  }

  /** Every topic the service reads or writes. */
  public List<Topic> all() {
    return List.of(cameraFrames(), classification(), detections(), segmentation(), scene(),
        frames(), dlq());
  }

  private Topic topic(String role) {
    return new Topic(role, prefix + role);
  }
}
