package dev.hydrastream.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGINT (Ctrl-C) and SIGTERM as a request to stop cleanly, for the commands that run until stopped
 * ({@code demo}, {@code run}, {@code simulate}). The JVM's own handling starts shutdown hooks while
 * the command's threads keep running, and exits with 130 or 143 before a summary is printed or temp
 * dirs are deleted; instead, the first signal runs the command's stop action and the command
 * finishes its work (drain, summary, close) and exits normally, with 0. A second signal exits at
 * once (shutdown hooks still run), for a stop that takes too long.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}) by reflection, as Kafka's {@code
 * LoggingSignalHandler} does, so the build has no internal-API warning; where it is missing, a
 * shutdown hook runs the stop action instead (the exit code is then the JVM's).
 */
final class StopSignals {

  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /**
   * Installs handlers for SIGINT and SIGTERM that run {@code stop} once, on a thread of its own.
   *
   * @param what named in the line printed when a signal arrives, e.g. {@code "demo"}
   */
  static void onStop(String what, Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handlerType);
      Method name = signal.getMethod("getName");
      Method number = signal.getMethod("getNumber");
      InvocationHandler onSignal =
          (proxy, method, args) -> {
            if (!method.getName().equals("handle")) {
              return objectMethod(proxy, method, args);
            }
            Object sig = args[0];
            if (stopping.compareAndSet(false, true)) {
              System.err.printf(
                  "%s: SIG%s received, stopping (again to exit at once)%n", what, name.invoke(sig));
              Thread t = new Thread(stop, what + "-stop");
              t.setDaemon(true);
              t.start();
            } else {
              int code = 128 + (int) number.invoke(sig);
              new Thread(() -> System.exit(code), what + "-exit").start();
            }
            return null;
          };
      Object handler =
          Proxy.newProxyInstance(
              StopSignals.class.getClassLoader(), new Class<?>[] {handlerType}, onSignal);
      for (String s : new String[] {"INT", "TERM"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(s), handler);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot handle signals ({}); stopping from a shutdown hook instead", e.toString());
      Runtime.getRuntime().addShutdownHook(new Thread(stop, what + "-stop"));
    }
  }

  /** {@code equals}, {@code hashCode} and {@code toString} of the handler proxy. */
  private static Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "StopSignals handler";
    };
  }
}
