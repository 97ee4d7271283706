package dev.hydrastream.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js graph model as it ships in a registry package: the JSON manifest (the GraphDef as
 * JSON, the weights manifest) and its binary shards. Weights are dequantised to float32 as
 * TensorFlow.js does it (float16 halves widened; uint8/uint16 as {@code q * scale + min}); int32
 * constants are kept as ints. Every malformed part is reported with the file and the tensor.
 */
public final class TfjsGraphModel {

  /** One graph node: name, op, inputs (control inputs dropped) and raw attributes. */
  public record Node(String name, String op, List<String> inputs, JsonNode attr) {

    /** A list-of-ints attribute ({@code strides}, {@code ksize}), or null when absent. */
    public long[] ints(String key) {
      JsonNode l = attr.path(key).path("list").path("i");
      if (!l.isArray()) {
        return null;
      }
      long[] out = new long[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i).asLong();
      }
      return out;
    }

    /** A string attribute ({@code padding}), decoded from base64, or null. */
    public String string(String key) {
      JsonNode s = attr.path(key).path("s");
      return s.isTextual() ? decode(s.asText()) : null;
    }

    /** A list-of-strings attribute ({@code fused_ops}), decoded. */
    public List<String> strings(String key) {
      JsonNode l = attr.path(key).path("list").path("s");
      List<String> out = new ArrayList<>();
      l.forEach(s -> out.add(decode(s.asText())));
      return out;
    }

    public boolean bool(String key) {
      return attr.path(key).path("b").asBoolean(false);
    }

    private static String decode(String b64) {
      return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
  }

  /** A weight tensor: float32 data, or int32 data for integer constants. */
  public record Tensor(String name, long[] shape, String dtype, float[] floats, int[] ints) {
    public int size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return (int) n;
    }
  }

  private final Path manifest;
  private final JsonNode root;
  private final Map<String, Node> nodes;
  private final Map<String, Tensor> weights;

  private TfjsGraphModel(
      Path manifest, JsonNode root, Map<String, Node> nodes, Map<String, Tensor> weights) {
    this.manifest = manifest;
    this.root = root;
    this.nodes = nodes;
    this.weights = weights;
  }

  /** Reads {@code model.json}-style manifest {@code json} and the shards it names beside it. */
  public static TfjsGraphModel read(Path json) throws IOException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json.toFile());
    } catch (IOException e) {
      throw new IOException(json + ": not a TF.js model manifest (" + e.getMessage() + ")", e);
    }
    if (!"graph-model".equals(root.path("format").asText())) {
      throw new IOException(
          json + ": format is '" + root.path("format").asText() + "', expected 'graph-model'");
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (JsonNode n : root.path("modelTopology").path("node")) {
      List<String> inputs = new ArrayList<>();
      n.path("input")
          .forEach(
              i -> {
                if (!i.asText().startsWith("^")) {
                  inputs.add(i.asText());
                }
              });
      nodes.put(
          n.path("name").asText(),
          new Node(n.path("name").asText(), n.path("op").asText(), inputs, n.path("attr")));
    }
    if (nodes.isEmpty()) {
      throw new IOException(json + ": modelTopology has no nodes");
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    Path dir = json.toAbsolutePath().getParent();
    for (JsonNode group : root.path("weightsManifest")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (JsonNode p : group.path("paths")) {
        Path shard = dir.resolve(p.asText());
        if (!Files.isRegularFile(shard)) {
          throw new IOException(json + ": weight shard " + shard + " is missing");
        }
        bytes.write(Files.readAllBytes(shard));
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode w : group.path("weights")) {
        Tensor t = readTensor(json, w, buf);
        weights.put(t.name(), t);
      }
      if (buf.hasRemaining()) {
        throw new IOException(
            json + ": " + buf.remaining() + " bytes left over in the shards after the last tensor");
      }
    }
    return new TfjsGraphModel(json, root, nodes, weights);
  }

  private static Tensor readTensor(Path json, JsonNode w, ByteBuffer buf) throws IOException {
    String name = w.path("name").asText();
    long[] shape = new long[w.path("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = w.path("shape").get(i).asLong();
    }
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    int n = (int) count;
    String dtype = w.path("dtype").asText();
    JsonNode q = w.path("quantization");
    String stored = q.isMissingNode() ? dtype : q.path("dtype").asText();
    int width =
        switch (stored) {
          case "float32", "int32" -> 4;
          case "float16", "uint16" -> 2;
          case "uint8" -> 1;
          default ->
              throw new IOException(
                  json + ": tensor " + name + " is stored as unsupported dtype " + stored);
        };
    if (buf.remaining() < (long) n * width) {
      throw new IOException(
          json + ": shards end inside tensor " + name + " (" + n + " x " + stored + ")");
    }
    if (dtype.equals("int32")) {
      if (!stored.equals("int32")) {
        throw new IOException(json + ": int32 tensor " + name + " is quantised; not supported");
      }
      int[] ints = new int[n];
      for (int i = 0; i < n; i++) {
        ints[i] = buf.getInt();
      }
      return new Tensor(name, shape, dtype, null, ints);
    }
    if (!dtype.equals("float32")) {
      throw new IOException(json + ": tensor " + name + " has unsupported dtype " + dtype);
    }
    float[] f = new float[n];
    switch (stored) {
      case "float32" -> {
        for (int i = 0; i < n; i++) {
          f[i] = buf.getFloat();
        }
      }
      case "float16" -> {
        for (int i = 0; i < n; i++) {
          f[i] = halfToFloat(buf.getShort());
        }
      }
      default -> {
        float scale = (float) q.path("scale").asDouble();
        float min = (float) q.path("min").asDouble();
        for (int i = 0; i < n; i++) {
          int v = width == 1 ? Byte.toUnsignedInt(buf.get()) : Short.toUnsignedInt(buf.getShort());
          f[i] = v * scale + min;
        }
      }
    }
    return new Tensor(name, shape, dtype, f, null);
  }

  /** IEEE 754 binary16 to float32 (Java 17 has no {@code Float.float16ToFloat}). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal half: value = mant * 2^-24
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  public Path manifest() {
    return manifest;
  }

  public Map<String, Node> nodes() {
    return Collections.unmodifiableMap(nodes);
  }

  public Map<String, Tensor> weights() {
    return Collections.unmodifiableMap(weights);
  }

  public Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException(manifest + ": no node named " + name);
    }
    return n;
  }

  /** The weight a Const node holds. */
  public Tensor constant(String name) {
    Tensor t = weights.get(name);
    if (t == null) {
      throw new IllegalArgumentException(manifest + ": no weight for constant " + name);
    }
    return t;
  }

  /** Who converted the model ({@code convertedBy}) and from where ({@code generatedBy}). */
  public String generatedBy() {
    return root.path("generatedBy").asText();
  }

  public String convertedBy() {
    return root.path("convertedBy").asText();
  }

  /** Number of float parameters. */
  public long parameters() {
    long n = 0;
    for (Tensor t : weights.values()) {
      if (t.floats() != null) {
        n += t.size();
      }
    }
    return n;
  }
}
