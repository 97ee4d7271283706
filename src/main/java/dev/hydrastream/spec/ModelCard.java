package dev.hydrastream.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model card ({@code model.json}) as serving needs it: name, version, input size and, per head,
 * its labels and signature outputs. Reading it checks the fields serving relies on.
 *
 * @param name model name
 * @param version model version
 * @param inputHeight input height
 * @param inputWidth input width
 * @param labels labels per head, in card order
 * @param outputs signature outputs per head
 * @param raw the whole card, for reporting
 */
public record ModelCard(
    String name,
    String version,
    int inputHeight,
    int inputWidth,
    Map<Head, List<String>> labels,
    Map<Head, List<String>> outputs,
    JsonNode raw) {

  /** File name of the card inside a model directory. */
  public static final String FILE = "model.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** {@code name@version}, as written into every result record. */
  public String id() {
    return name + "@" + version;
  }

  /**
   * This card's model with the SHA-256 of its graph ({@link #checkFiles} returns it), the identity
   * every result of the model carries.
   */
  public ModelIdentity identity(String sha256) {
    return new ModelIdentity(name, version, sha256);
  }

  /**
   * This card's model with the card's own {@value #SHA256_FIELD} (empty when the card has none):
   * for a graph that is not served from its file, such as the trainer's validation.
   */
  public ModelIdentity identity() {
    return identity(raw == null ? "" : raw.path(SHA256_FIELD).asText(""));
  }

  public boolean has(Head head) {
    return labels.containsKey(head);
  }

  /** The heads this model has. */
  public Set<Head> heads() {
    return labels.keySet();
  }

  /**
   * Card object describing the per-frame out-of-distribution score a model may export beside its
   * heads: {@code "ood": {"output": "ood", "threshold": 1.0, ...}}. Older models have none.
   */
  public static final String OOD_FIELD = "ood";

  /** The OOD threshold of a card whose {@value #OOD_FIELD} object names none. */
  public static final double DEFAULT_OOD_THRESHOLD = 1.0;

  /**
   * The signature output holding the out-of-distribution score (float32 {@code [N]}), or null when
   * the card declares none.
   */
  public String oodOutput() {
    String out = raw == null ? "" : raw.path(OOD_FIELD).path("output").asText("");
    return out.isBlank() ? null : out;
  }

  /**
   * The OOD score above which the model is unsure of a frame: the card's {@code ood.threshold},
   * {@value #DEFAULT_OOD_THRESHOLD} when absent (the score is scaled so that 1 is the 95th
   * percentile of the training frames).
   */
  public double oodThreshold() {
    JsonNode t = raw == null ? null : raw.path(OOD_FIELD).get("threshold");
    return t != null && t.isNumber() ? t.asDouble() : DEFAULT_OOD_THRESHOLD;
  }

  /** Card field with the SHA-256 (hex) of {@code saved_model.pb}. */
  public static final String SHA256_FIELD = "saved_model_sha256";

  /**
   * Checks a model directory's files before any engine loads them: {@code saved_model.pb} and
   * {@code variables/} exist, and the graph's SHA-256 matches the card's {@value #SHA256_FIELD}
   * (cards without the field are older and skip that check). Each failure names the file.
   *
   * @return the SHA-256 of {@code saved_model.pb} (lower-case hex), computed here also when the
   *     card lacks the field: the model's identity on every result ({@link #identity(String)})
   */
  public String checkFiles(Path dir) {
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new IllegalArgumentException(
          pb
              + ": missing (a model directory holds saved_model.pb,"
              + " variables/ and model.json)");
    }
    Path vars = dir.resolve("variables");
    if (!Files.isDirectory(vars)) {
      throw new IllegalArgumentException(vars + ": missing (the SavedModel's weights)");
    }
    String expected = raw == null ? "" : raw.path(SHA256_FIELD).asText("");
    String actual = sha256(pb);
    if (!expected.isEmpty() && !actual.equalsIgnoreCase(expected)) {
      throw new IllegalArgumentException(
          pb
              + ": SHA-256 "
              + actual
              + " does not match "
              + dir.resolve(FILE)
              + " "
              + SHA256_FIELD
              + " "
              + expected
              + " (the file is truncated, damaged or from another model)");
    }
    return actual;
  }

  /** SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads and checks {@code dir/model.json}. */
  public static ModelCard read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": model directory does not exist");
    }
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": model card missing");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot read the model card: " + e.getMessage(), e);
    }
    String name = text(n, file, "name");
    String version = text(n, file, "version");
    int h = number(n, file, "input", "height");
    int w = number(n, file, "input", "width");
    JsonNode heads = n.path("heads");
    if (!heads.isObject() || heads.isEmpty()) {
      throw new IllegalArgumentException(file + ": heads: missing or empty");
    }
    Map<Head, List<String>> labels = new EnumMap<>(Head.class);
    Map<Head, List<String>> outputs = new EnumMap<>(Head.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = heads.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Head head;
      try {
        head = Head.of(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(file + ": heads." + ex.getMessage(), ex);
      }
      labels.put(
          head, strings(e.getValue().path("labels"), file, "heads." + e.getKey() + ".labels"));
      outputs.put(
          head, strings(e.getValue().path("outputs"), file, "heads." + e.getKey() + ".outputs"));
    }
    checkOod(n.path(OOD_FIELD), file);
    return new ModelCard(
        name,
        version,
        h,
        w,
        Collections.unmodifiableMap(labels),
        Collections.unmodifiableMap(outputs),
        n);
  }

  /** The optional {@value #OOD_FIELD} object: when present, an output name and a sane threshold. */
  private static void checkOod(JsonNode ood, Path file) {
    if (ood.isMissingNode() || ood.isNull()) {
      return;
    }
    if (!ood.isObject()) {
      throw new IllegalArgumentException(file + ": " + OOD_FIELD + ": not an object");
    }
    JsonNode out = ood.path("output");
    if (!out.isTextual() || out.asText().isBlank()) {
      throw new IllegalArgumentException(
          file + ": " + OOD_FIELD + ".output: missing or not a string");
    }
    JsonNode t = ood.get("threshold");
    if (t != null && !(t.isNumber() && t.asDouble() > 0 && Double.isFinite(t.asDouble()))) {
      throw new IllegalArgumentException(
          file + ": " + OOD_FIELD + ".threshold: not a positive number");
    }
  }

  private static String text(JsonNode n, Path file, String field) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(file + ": " + field + ": missing or not a string");
    }
    return v.asText();
  }

  private static int number(JsonNode n, Path file, String obj, String field) {
    JsonNode v = n.path(obj).path(field);
    if (!v.isInt() || v.asInt() <= 0) {
      throw new IllegalArgumentException(
          file + ": " + obj + "." + field + ": missing or not a positive integer");
    }
    return v.asInt();
  }

  private static List<String> strings(JsonNode v, Path file, String field) {
    if (!v.isArray() || v.isEmpty()) {
      throw new IllegalArgumentException(file + ": " + field + ": missing or empty");
    }
    List<String> out = new ArrayList<>();
    v.forEach(x -> out.add(x.asText()));
    return List.copyOf(out);
  }
}
