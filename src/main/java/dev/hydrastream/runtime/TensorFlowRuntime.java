package dev.hydrastream.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.tensorflow.engine.javacpp.JavacppUtils;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.ConfigProto;

/**
 * Loads DJL's TensorFlow engine once per process, after the natives are in place, and reports the
 * engine version and the devices it can run on.
 */
public final class TensorFlowRuntime {

  /** DJL's name for the TensorFlow engine. */
  public static final String ENGINE = "TensorFlow";

  private static final Logger LOG = LoggerFactory.getLogger(TensorFlowRuntime.class);
  private static Info info;

  private TensorFlowRuntime() {}

  /**
   * The loaded engine and what it took to get there.
   *
   * @param engine the DJL engine
   * @param natives what the native bootstrap did
   * @param devices devices the engine can use, GPUs first
   * @param loadMillis time spent loading the engine (after the natives were ready)
   * @param uptimeMillis JVM uptime when the engine became ready
   */
  public record Info(
      Engine engine,
      NativeRuntime.Status natives,
      List<Device> devices,
      long loadMillis,
      long uptimeMillis) {

    /** The device inference runs on by default: the first GPU, else the CPU. */
    public Device defaultDevice() {
      return devices.get(0);
    }
  }

  /**
   * A serialized TensorFlow session configuration (DJL's {@code ConfigProto} model option, base64)
   * with these thread pool sizes on top of DJL's defaults: thread counts are set per model, never
   * through process-global properties.
   *
   * @param intraOpThreads threads inside one op (0: TensorFlow decides)
   * @param interOpThreads ops run in parallel (0: TensorFlow decides)
   */
  public static String sessionConfig(int intraOpThreads, int interOpThreads) {
    return sessionConfig(intraOpThreads, interOpThreads, false);
  }

  /**
   * Like {@link #sessionConfig(int, int)}; with {@code ownThreadPools} the session runs on thread
   * pools of its own ({@code use_per_session_threads}) sized by the two counts, not on the
   * process-wide pools the first session created.
   */
  public static String sessionConfig(
      int intraOpThreads, int interOpThreads, boolean ownThreadPools) {
    load();
    ConfigProto.Builder b = JavacppUtils.getSessionConfig().toBuilder();
    if (ownThreadPools) {
      b.setUsePerSessionThreads(true);
    }
    if (intraOpThreads > 0) {
      b.setIntraOpParallelismThreads(intraOpThreads);
    }
    if (interOpThreads > 0) {
      b.setInterOpParallelismThreads(interOpThreads);
    }
    return Base64.getEncoder().encodeToString(b.build().toByteArray());
  }

  /** Returns the TensorFlow engine, extracting natives and loading the engine on first call. */
  public static synchronized Info load() {
    if (info == null) {
      NativeRuntime.Status natives = NativeRuntime.ensureTensorFlow();
      long start = System.nanoTime();
      Engine engine = Engine.getEngine(ENGINE);
      List<Device> devices = new ArrayList<>();
      for (int i = 0; i < engine.getGpuCount(); i++) {
        devices.add(Device.gpu(i));
      }
      devices.add(Device.cpu());
      long loadMillis = (System.nanoTime() - start) / 1_000_000;
      long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
      info = new Info(engine, natives, List.copyOf(devices), loadMillis, uptime);
      LOG.info(
          "TensorFlow {} ready on {} (natives: {} in {} ms from {}; engine load {} ms; JVM up {} ms)",
          engine.getVersion(),
          devices,
          natives.source(),
          natives.millis(),
          natives.libraryDir(),
          loadMillis,
          uptime);
    }
    return info;
  }
}
