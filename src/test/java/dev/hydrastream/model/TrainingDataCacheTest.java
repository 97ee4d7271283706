package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.data.Bdd100kReader;
import dev.hydrastream.data.Sample;
import dev.hydrastream.data.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prepared-frame cache is keyed by the files themselves, not by how their path is spelled. */
class TrainingDataCacheTest {

  @TempDir Path tmp;

  @Test
  void aSymlinkedDatasetReusesTheCacheAndATouchedImageDoesNot() throws Exception {
    Path data = tmp.resolve("data");
    new SyntheticDataset(data, 3, 320, 180)
        .generate(6, 2, null, SyntheticDataset.DEFAULT_SPLITS, n -> {});
    Path link = Files.createSymbolicLink(tmp.resolve("link"), data);
    Path cache = tmp.resolve("cache");
    TrainingData td = new TrainingData(ModelConfig.defaults().withInput(64, 96));

    List<Sample> direct = Bdd100kReader.open(data).samples("train");
    List<Sample> viaLink = Bdd100kReader.open(link).samples("train");
    assertThat(direct).isNotEmpty();
    List<TrainingData.Prepared> first = td.prepareCached(direct, cache, 1, n -> {});
    assertThat(cacheFiles(cache)).hasSize(1);
    List<TrainingData.Prepared> second = td.prepareCached(viaLink, cache, 1, n -> {});
    assertThat(cacheFiles(cache)).as("same files through a symlink: same cache").hasSize(1);
    assertThat(second).hasSameSizeAs(first);
    assertThat(second.get(0).rgb()).isEqualTo(first.get(0).rgb());

    // touching an image (new modification time) is a different dataset
    Path image = direct.get(0).image();
    Files.setLastModifiedTime(
        image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 60_000));
    td.prepareCached(Bdd100kReader.open(data).samples("train"), cache, 1, n -> {});
    assertThat(cacheFiles(cache)).hasSize(2);
  }

  private static List<Path> cacheFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".bin")).toList();
    }
  }
}
