package dev.hydrastream.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A model identity names its model, and refuses a blank part or a SHA-256 that is none. */
class ModelIdentityTest {

  @Test
  void namesTheModelAsResultsDo() {
    ModelIdentity m = new ModelIdentity("hydranet", "2", "AB".repeat(32));
    assertThat(m.id()).isEqualTo("hydranet@2");
    assertThat(m.sha256()).isEqualTo("ab".repeat(32));
    assertThat(ModelIdentity.of("hydranet", "2").sha256()).isEmpty();
    assertThat(m).isNotEqualTo(new ModelIdentity("hydranet", "2", "cd".repeat(32)));
  }

  @Test
  void badPartsAreNamed() {
    assertThatThrownBy(() -> ModelIdentity.of(" ", "2")).hasMessageContaining("name is blank");
    assertThatThrownBy(() -> ModelIdentity.of("hydranet", ""))
        .hasMessageContaining("hydranet")
        .hasMessageContaining("version is blank");
    assertThatThrownBy(() -> new ModelIdentity("hydranet", "2", "abc"))
        .hasMessageContaining("hydranet@2")
        .hasMessageContaining("sha256 'abc'");
  }
}
