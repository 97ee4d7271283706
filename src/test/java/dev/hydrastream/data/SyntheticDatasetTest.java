package dev.hydrastream.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset writer: determinism across thread counts and a round trip through the reader. */
class SyntheticDatasetTest {
  private static final int W = 320;
  private static final int H = 180;

  @TempDir Path tmp;

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  @Test
  void sameSeedGivesByteIdenticalFilesWhateverTheThreadCount() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    new SyntheticDataset(a, 7, W, H)
        .generate(12, 1, null, SyntheticDataset.DEFAULT_SPLITS, n -> {});
    new SyntheticDataset(b, 7, W, H)
        .generate(12, 2, null, SyntheticDataset.DEFAULT_SPLITS, n -> {});
    List<Path> files = files(a);
    assertThat(files(b)).isEqualTo(files);
    assertThat(files).filteredOn(p -> p.toString().endsWith(".json")).hasSize(13);
    for (Path f : files) {
      assertThat(Files.readAllBytes(b.resolve(f)))
          .as(f.toString())
          .isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
    Path c = tmp.resolve("c");
    new SyntheticDataset(c, 8, W, H)
        .generate(12, 2, null, SyntheticDataset.DEFAULT_SPLITS, n -> {});
    Path someLabel =
        files.stream()
            .filter(p -> p.toString().startsWith("labels/100k"))
            .findFirst()
            .orElseThrow();
    assertThat(files(c)).isNotEqualTo(files);
    assertThat(someLabel).isNotNull();
  }

  @Test
  void writtenDatasetReadsBackThroughTheBdd100kReader() throws IOException {
    Path root = tmp.resolve("d");
    SyntheticDataset writer = new SyntheticDataset(root, 5, W, H);
    SyntheticDataset.Summary summary =
        writer.generate(20, 2, null, SyntheticDataset.DEFAULT_SPLITS, n -> {});
    Bdd100kDataset ds = Bdd100kReader.open(root);
    int total = 0;
    SceneRenderer renderer = new SceneRenderer(W, H);
    for (String split : ds.splits()) {
      for (Sample s : ds.samples(split)) {
        total++;
        int index =
            Integer.parseInt(s.name().substring(s.name().indexOf('-') + 1, s.name().indexOf('.')));
        RenderedFrame frame = renderer.render(5, index);
        assertThat(s.labels().labels()).isEqualTo(frame.labels().labels());
        assertThat(s.labels().weather()).isEqualTo(frame.labels().weather());
        assertThat(s.labels().scene()).isEqualTo(frame.labels().scene());
        assertThat(s.labels().timeofday()).isEqualTo(frame.labels().timeofday());
        int[] drivable = Bdd100kReader.readMask(s.drivableMask(), W, H);
        int[] lane = Bdd100kReader.readMask(s.laneMask(), W, H);
        for (int p = 0; p < drivable.length; p++) {
          assertThat(drivable[p]).isEqualTo(frame.drivable()[p] & 255);
          assertThat(lane[p]).isEqualTo(frame.lane()[p] & 255);
        }
        assertThat(Files.size(s.image())).isGreaterThan(1000);
      }
    }
    assertThat(total).isEqualTo(20);
    assertThat(summary.splits().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    assertThat(ds.skippedLabels()).isEmpty();
  }

  @Test
  void fixedSplitPutsEveryFrameThere() throws IOException {
    Path root = tmp.resolve("t");
    new SyntheticDataset(root, 9, W, H)
        .generate(5, 2, "test", SyntheticDataset.DEFAULT_SPLITS, n -> {});
    Bdd100kDataset ds = Bdd100kReader.open(root);
    assertThat(ds.splits()).containsExactly("test");
    assertThat(ds.samples("test")).hasSize(5);
  }
}
