package dev.hydrastream.cli;

import ai.djl.engine.Engine;
import dev.hydrastream.config.Secrets;
import dev.hydrastream.config.Settings;
import dev.hydrastream.runtime.NativeRuntime;
import dev.hydrastream.runtime.TensorFlowRuntime;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints what this host gives hydrastream: Java, DJL, TensorFlow, OpenCV, devices, caches, and the
 * service settings {@code run} would use (secrets hidden).
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Print Java, DJL, TensorFlow and OpenCV versions, devices found, cache location and the"
            + " settings `run` would use with the same --config, HYDRA_* and --set (secrets such"
            + " as kafka.sasl.jaas.config shown as [hidden]).")
final class DoctorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JsonOption json;

  @Option(names = "--verify", description = "Also check every native library against its SHA-256.")
  boolean verify;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings.")
  Path config;

  @Mixin SetOption set;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put(
        "java",
        System.getProperty("java.vm.name")
            + " "
            + Runtime.version()
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    report.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    report.put("cpus", Runtime.getRuntime().availableProcessors());
    report.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);

    TensorFlowRuntime.Info tf = TensorFlowRuntime.load();
    report.put("djl", Engine.getDjlVersion());
    report.put("tensorflow", tf.engine().getVersion());
    report.put("tensorflowNatives", tf.natives().version() + " " + tf.natives().classifier());
    report.put("devices", tf.devices().stream().map(Object::toString).toList());
    report.put("gpus", tf.engine().getGpuCount());
    report.put("defaultDevice", tf.defaultDevice().toString());
    report.put("nativeCache", tf.natives().libraryDir().toString());
    report.put("nativeSource", tf.natives().source());
    report.put("nativeMillis", tf.natives().millis());
    report.put("engineLoadMillis", tf.loadMillis());
    report.put("engineReadyAtUptimeMillis", tf.uptimeMillis());
    if (verify) {
      List<String> problems = NativeRuntime.verify(tf.natives().libraryDir());
      report.put("nativeChecksums", problems.isEmpty() ? "ok" : problems);
    }

    Loader.load(opencv_core.class);
    report.put("opencv", opencv_core.CV_VERSION);
    report.put("javacppCache", Loader.getCacheDir().getAbsolutePath());

    try {
      report.put("settings", Secrets.dump(Settings.load(config, System.getenv(), set.values)));
    } catch (org.apache.kafka.common.config.ConfigException e) {
      report.put("settings", "invalid: " + e.getMessage());
    }

    json.print(report);
    boolean bad = verify && !"ok".equals(report.get("nativeChecksums"));
    return bad ? 1 : 0;
  }
}
