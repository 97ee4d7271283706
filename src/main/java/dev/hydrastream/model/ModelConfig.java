package dev.hydrastream.model;

import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelCard;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a multi-task network: input size, backbone width and depth, neck width, which heads
 * it has and how many detections it returns. Validated on construction; every invalid value is
 * reported with the name of its setting.
 *
 * @param name model name written to the card and to every result record
 * @param version model version
 * @param inputHeight input height in pixels (multiple of 32)
 * @param inputWidth input width in pixels (multiple of 32)
 * @param widthMultiplier backbone channel multiplier (MobileNet alpha), 0.25..2
 * @param extraBlocks additional stride-16 blocks beyond the first (depth setting), 0..6
 * @param neckChannels channels of the feature pyramid, 16..256
 * @param tasks heads present in the network
 * @param topK detections returned per image by the in-graph decoder
 * @param segOwnBlock when the network has both detection and segmentation: true gives segmentation
 *     its own last stride-4 block instead of sharing detection's ({@code --seg-decoder
 *     own|shared}); without detection there is only one block either way
 * @param backbone the backbone family ({@code --backbone}); with {@link Backbone#CENTERNET_MNV3}
 *     width, depth, neck and seg-decoder do not apply
 */
public record ModelConfig(
    String name,
    String version,
    int inputHeight,
    int inputWidth,
    double widthMultiplier,
    int extraBlocks,
    int neckChannels,
    Set<Head> tasks,
    int topK,
    boolean segOwnBlock,
    Backbone backbone) {

  /** Backbone families. */
  public enum Backbone {
    /** Ours, trained from scratch: MobileNet-v1 style with a feature pyramid. */
    MOBILENET_V1("mobilenet-v1"),
    /** The imported COCO CenterNet (MobileNetV3-Large 0.75) and its stride-4 pyramid. */
    CENTERNET_MNV3("centernet-mnv3");

    private final String id;

    Backbone(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Backbone of(String id) {
      for (Backbone b : values()) {
        if (b.id.equals(id)) {
          return b;
        }
      }
      throw new IllegalArgumentException(
          "--backbone must be one of mobilenet-v1, centernet-mnv3, got " + id);
    }
  }

  public ModelConfig {
    check(
        inputHeight >= 64 && inputHeight % 32 == 0,
        "input height",
        inputHeight,
        "a multiple of 32, at least 64");
    check(
        inputWidth >= 64 && inputWidth % 32 == 0,
        "input width",
        inputWidth,
        "a multiple of 32, at least 64");
    check(
        widthMultiplier >= 0.25 && widthMultiplier <= 2,
        "width",
        widthMultiplier,
        "within 0.25..2");
    check(extraBlocks >= 0 && extraBlocks <= 6, "depth", extraBlocks, "within 0..6");
    check(neckChannels >= 16 && neckChannels <= 256, "neck", neckChannels, "within 16..256");
    check(topK >= 1 && topK <= 1000, "top-k", topK, "within 1..1000");
    if (tasks == null || tasks.isEmpty()) {
      throw new IllegalArgumentException("--tasks must name at least one task");
    }
    tasks = Set.copyOf(EnumSet.copyOf(tasks));
    if (backbone == null) {
      backbone = Backbone.MOBILENET_V1;
    }
  }

  private static void check(boolean ok, String setting, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(
          "--" + setting.replace(' ', '-') + " must be " + rule + ", got " + value);
    }
  }

  /**
   * The default: 224x384 input (16:9 frames letterboxed), MobileNet width 0.5, all heads,
   * segmentation with its own last stride-4 block (README, "Sharing: accuracy").
   */
  public static ModelConfig defaults() {
    return new ModelConfig(
        "hydranet",
        "1",
        224,
        384,
        0.5,
        1,
        96,
        EnumSet.allOf(Head.class),
        100,
        true,
        Backbone.MOBILENET_V1);
  }

  /** The configuration a model card describes (architecture fields and heads). */
  public static ModelConfig fromCard(ModelCard card) {
    var a = card.raw().path("architecture");
    EnumSet<Head> tasks = EnumSet.noneOf(Head.class);
    for (Head head : card.heads()) {
      tasks.add(head);
    }
    ModelConfig d = defaults();
    return d.toBuilder()
        .optName(card.name())
        .optVersion(card.version())
        .optInput(card.inputHeight(), card.inputWidth())
        .optWidth(a.path("width_multiplier").asDouble(d.widthMultiplier()))
        .optExtraBlocks(a.path("extra_blocks").asInt(d.extraBlocks()))
        .optNeckChannels(a.path("neck_channels").asInt(d.neckChannels()))
        .optTasks(tasks)
        .optTopK(a.path("top_k").asInt(d.topK()))
        .optSegOwnBlock(a.path("seg_decoder").asText("shared").equals("own"))
        .optBackbone(Backbone.of(a.path("backbone_id").asText(Backbone.MOBILENET_V1.id())))
        .build();
  }

  /** The card of a model with this shape, as serving reads it (before any export). */
  public ModelCard servingCard() {
    Map<Head, List<String>> labels = new EnumMap<>(Head.class);
    Map<Head, List<String>> outputs = new EnumMap<>(Head.class);
    for (Head h : tasks) {
      labels.put(h, h.labels());
      outputs.put(h, h.outputs());
    }
    return new ModelCard(name, version, inputHeight, inputWidth, labels, outputs, null);
  }

  public boolean has(Head t) {
    return tasks.contains(t);
  }

  public ModelConfig withTasks(Set<Head> t) {
    return toBuilder().optTasks(t).build();
  }

  public ModelConfig withInput(int h, int w) {
    return toBuilder().optInput(h, w).build();
  }

  public ModelConfig withSegOwnBlock(boolean own) {
    return toBuilder().optSegOwnBlock(own).build();
  }

  public ModelConfig withWidth(double multiplier) {
    return toBuilder().optWidth(multiplier).build();
  }

  public ModelConfig withBackbone(Backbone b) {
    return toBuilder().optBackbone(b).build();
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link ModelConfig} (DJL {@code Criteria} style): every component is optional ({@code
   * opt*}) and starts from the configuration the builder was made from; {@link #build()} validates.
   */
  public static final class Builder {
    private String name;
    private String version;
    private int inputHeight;
    private int inputWidth;
    private double widthMultiplier;
    private int extraBlocks;
    private int neckChannels;
    private Set<Head> tasks;
    private int topK;
    private boolean segOwnBlock;
    private Backbone backbone;

    private Builder(ModelConfig c) {
      name = c.name;
      version = c.version;
      inputHeight = c.inputHeight;
      inputWidth = c.inputWidth;
      widthMultiplier = c.widthMultiplier;
      extraBlocks = c.extraBlocks;
      neckChannels = c.neckChannels;
      tasks = c.tasks;
      topK = c.topK;
      segOwnBlock = c.segOwnBlock;
      backbone = c.backbone;
    }

    public Builder optName(String name) {
      this.name = name;
      return this;
    }

    public Builder optVersion(String version) {
      this.version = version;
      return this;
    }

    /** Input height and width in pixels. */
    public Builder optInput(int height, int width) {
      this.inputHeight = height;
      this.inputWidth = width;
      return this;
    }

    public Builder optWidth(double widthMultiplier) {
      this.widthMultiplier = widthMultiplier;
      return this;
    }

    public Builder optExtraBlocks(int extraBlocks) {
      this.extraBlocks = extraBlocks;
      return this;
    }

    public Builder optNeckChannels(int neckChannels) {
      this.neckChannels = neckChannels;
      return this;
    }

    public Builder optTasks(Set<Head> tasks) {
      this.tasks = tasks;
      return this;
    }

    public Builder optTopK(int topK) {
      this.topK = topK;
      return this;
    }

    public Builder optSegOwnBlock(boolean segOwnBlock) {
      this.segOwnBlock = segOwnBlock;
      return this;
    }

    public Builder optBackbone(Backbone backbone) {
      this.backbone = backbone;
      return this;
    }

    /** The configuration; an invalid value fails with the name of its setting. */
    public ModelConfig build() {
      return new ModelConfig(
          name,
          version,
          inputHeight,
          inputWidth,
          widthMultiplier,
          extraBlocks,
          neckChannels,
          tasks,
          topK,
          segOwnBlock,
          backbone);
    }
  }

  /** Detection and drivable outputs are at stride 4 and 2 of the input. */
  public int detStride() {
    return 4;
  }

  public int segStride() {
    return 2;
  }
}
