package dev.hydrastream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.testing.ModelVersions;
import dev.hydrastream.util.Trees;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's resolution rule: {@code NAME/VERSION/} first, else a flat {@code NAME/} whose
 * card says the version; malformed names and missing versions are named; {@code list} verifies each
 * entry on files.
 */
class ModelRepositoryTest {

  @TempDir Path repo;

  @Test
  void versionedDirectoryFirstThenFlatDirectoryByItsCard() throws Exception {
    Trees.copy(ModelVersions.DEFAULT, repo.resolve("hydranet"));
    Path v4 = ModelVersions.copy(repo, "hydranet", "4");
    ModelRepository r = new ModelRepository(repo);
    assertThat(r.resolve("hydranet", "4")).isEqualTo(v4);
    assertThat(r.resolve("hydranet", "3")).isEqualTo(repo.resolve("hydranet"));
    assertThatThrownBy(() -> r.resolve("hydranet", "7"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hydranet/7/model.json")
        .hasMessageContaining("is version 3");
    assertThatThrownBy(() -> r.resolve("other", "1"))
        .hasMessageContaining("other/1/model.json")
        .hasMessageContaining("and no");
  }

  @Test
  void malformedNamesAreRefusedBeforeAnyPathIsBuilt() {
    ModelRepository r = new ModelRepository(repo);
    assertThatThrownBy(() -> r.resolve("..", "1"))
        .hasMessageContaining("malformed model name '..'");
    assertThatThrownBy(() -> r.resolve("hydranet", "a/b"))
        .hasMessageContaining("malformed model version 'a/b'");
  }

  @Test
  void listVerifiesEachEntryOnFiles() throws Exception {
    ModelVersions.copy(repo, "hydranet", "1");
    ModelVersions.truncateGraph(ModelVersions.copy(repo, "hydranet", "2"));
    List<ModelRepository.Entry> entries = new ModelRepository(repo).list();
    assertThat(entries).extracting(ModelRepository.Entry::version).containsExactly("1", "2");
    assertThat(entries.get(0).verified()).isTrue();
    assertThat(entries.get(1).verified()).isFalse();
    assertThat(entries.get(1).problem()).contains("saved_model.pb").contains("SHA-256");
  }
}
