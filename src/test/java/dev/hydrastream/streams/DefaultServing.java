package dev.hydrastream.streams;

import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real default model ({@code models/hydranet}) behind a {@link Serving} facade (default frame
 * validation, batches of up to 8) for a test class's topology drivers: register it on a static
 * field, it is loaded before the class's tests and closed after them.
 */
final class DefaultServing implements BeforeAllCallback, AfterAllCallback {

  private Serving serving;

  @Override
  public void beforeAll(ExtensionContext context) {
    PerceptionModel model =
        PerceptionModel.load(Path.of("models/hydranet"), PerceptionModel.Options.defaults());
    serving = new Serving(FrameValidator.defaults(), new BatchingPredictor(model, 8, 2, 1));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (serving != null) {
      serving.close();
      serving = null;
    }
  }

  /** The loaded model's serving facade. */
  Serving get() {
    if (serving == null) {
      throw new IllegalStateException("the model is loaded only while the test class runs");
    }
    return serving;
  }
}
