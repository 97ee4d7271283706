package dev.hydrastream.runtime;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the TensorFlow native libraries available to DJL without any download.
 *
 * <p>DJL does not accept the cu121 native jar on a host without CUDA and would try to download a
 * CPU build, which fails offline. The same jar runs fine on CPU, so on first use we extract its
 * {@code native/lib/*} into a versioned cache directory, record size and SHA-256 of every file in a
 * manifest, and point {@code TENSORFLOW_LIBRARY_PATH} at it before the engine loads. Later starts
 * only compare sizes against the manifest. Extraction runs under an inter-process file lock into a
 * temporary directory that is moved into place atomically, so two processes starting at once
 * neither extract twice nor see a half-written library.
 */
public final class NativeRuntime {

  /** Setting (env or system property) read by DJL to find the TensorFlow libraries. */
  public static final String LIBRARY_PATH_SETTING = "TENSORFLOW_LIBRARY_PATH";

  /** Env variable / system property that overrides the cache root. */
  public static final String CACHE_DIR_ENV = "HYDRA_CACHE_DIR";

  public static final String CACHE_DIR_PROPERTY = "hydra.cache.dir";
  static final String PROPERTIES_RESOURCE = "native/lib/tensorflow.properties";
  static final String MANIFEST = "MANIFEST.sha256";
  private static final String JNI_LIBRARY = "libjnitensorflow.so";
  private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);

  private static Status status;

  private NativeRuntime() {}

  /**
   * What {@link #ensureTensorFlow()} found or did.
   *
   * @param libraryDir directory holding the TensorFlow shared libraries
   * @param version native build version, e.g. {@code 2.16.1-20240627}
   * @param classifier native build flavour, e.g. {@code cu121-linux-x86_64}
   * @param extracted true if this call extracted the libraries, false if the cache was reused
   * @param millis time spent in this call
   * @param source where the libraries came from ({@code cache}, {@code extracted}, {@code user})
   */
  public record Status(
      Path libraryDir,
      String version,
      String classifier,
      boolean extracted,
      long millis,
      String source) {}

  /** One file of the extracted set, as recorded in the manifest. */
  record Entry(String name, long size, String sha256) {}

  /**
   * Ensures the TensorFlow natives are extracted and {@code TENSORFLOW_LIBRARY_PATH} points at
   * them. Idempotent and thread-safe; call before the first use of DJL's TensorFlow engine.
   */
  public static synchronized Status ensureTensorFlow() {
    if (status == null) {
      status = userProvided();
    }
    if (status == null) {
      status = ensure(cacheRoot(), NativeRuntime.class.getClassLoader());
      System.setProperty(LIBRARY_PATH_SETTING, status.libraryDir().toString());
    }
    return status;
  }

  /** Honours a {@code TENSORFLOW_LIBRARY_PATH} the user set; null when unset. */
  private static Status userProvided() {
    String preset = System.getProperty(LIBRARY_PATH_SETTING, System.getenv(LIBRARY_PATH_SETTING));
    if (preset == null || preset.isBlank()) {
      return null;
    }
    Path dir = Path.of(preset);
    if (!Files.isRegularFile(dir.resolve(JNI_LIBRARY))) {
      throw new IllegalStateException(
          LIBRARY_PATH_SETTING
              + "="
              + preset
              + " does not contain "
              + JNI_LIBRARY
              + "; unset it to let hydrastream extract the bundled natives");
    }
    return new Status(dir, "unknown", "user-provided", false, 0, "user");
  }

  /** The cache root: {@code HYDRA_CACHE_DIR} (env or property) or {@code ~/.cache/hydrastream}. */
  public static Path cacheRoot() {
    String configured = System.getProperty(CACHE_DIR_PROPERTY, System.getenv(CACHE_DIR_ENV));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "hydrastream");
  }

  /** Extracts (if needed) the natives found through {@code loader} under {@code root}. */
  @SuppressWarnings("try") // the lock is held for the try block's duration, never read
  static synchronized Status ensure(Path root, ClassLoader loader) {
    long start = System.nanoTime();
    Properties props = loadProperties(loader);
    String version = props.getProperty("version");
    String classifier = props.getProperty("classifier");
    List<String> libraries = List.of(props.getProperty("libraries", "").split(","));
    Path parent = root.resolve("tensorflow");
    Path target = parent.resolve(version + "-" + classifier);
    if (isComplete(target)) {
      return new Status(target, version, classifier, false, elapsed(start), "cache");
    }
    try {
      Files.createDirectories(parent);
      try (FileChannel channel =
              FileChannel.open(
                  parent.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        // Another process may have finished while we waited for the lock.
        if (isComplete(target)) {
          return new Status(target, version, classifier, false, elapsed(start), "cache");
        }
        extract(loader, libraries, parent, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract TensorFlow natives into "
              + target
              + " (set "
              + CACHE_DIR_ENV
              + " to a writable directory): "
              + e.getMessage(),
          e);
    }
    return new Status(target, version, classifier, true, elapsed(start), "extracted");
  }

  /** Verifies every extracted file against the SHA-256 in the manifest; returns the problems. */
  public static List<String> verify(Path libraryDir) {
    List<String> problems = new ArrayList<>();
    List<Entry> entries;
    try {
      entries = readManifest(libraryDir.resolve(MANIFEST));
    } catch (IOException e) {
      return List.of("manifest unreadable: " + e.getMessage());
    }
    for (Entry entry : entries) {
      Path file = libraryDir.resolve(entry.name());
      try (InputStream in = Files.newInputStream(file)) {
        String actual = sha256(in, OutputStream.nullOutputStream());
        if (!actual.equals(entry.sha256())) {
          problems.add(entry.name() + ": sha256 " + actual + " != manifest " + entry.sha256());
        }
      } catch (IOException e) {
        problems.add(entry.name() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static Properties loadProperties(ClassLoader loader) {
    URL url = loader.getResource(PROPERTIES_RESOURCE);
    if (url == null) {
      throw new IllegalStateException(
          "TensorFlow natives not on the classpath: add "
              + "ai.djl.tensorflow:tensorflow-native-cu121:2.16.1:linux-x86_64 (resource "
              + PROPERTIES_RESOURCE
              + " missing)");
    }
    Properties props = new Properties();
    try (InputStream in = url.openStream()) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
    for (String key : List.of("version", "classifier", "libraries")) {
      if (props.getProperty(key) == null) {
        throw new IllegalStateException(url + " lacks the field '" + key + "'");
      }
    }
    return props;
  }

  /** A cache directory is complete when its manifest exists and every file has its size. */
  static boolean isComplete(Path target) {
    Path manifest = target.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return false;
    }
    try {
      for (Entry entry : readManifest(manifest)) {
        Path file = target.resolve(entry.name());
        if (!Files.isRegularFile(file) || Files.size(file) != entry.size()) {
          LOG.warn("TensorFlow native cache {} is damaged ({}): extracting again", target, file);
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void extract(ClassLoader loader, List<String> libraries, Path parent, Path target)
      throws IOException {
    LOG.info("Extracting TensorFlow natives into {} (once per version)", target);
    Path tmp = Files.createTempDirectory(parent, "extract-");
    try {
      List<Entry> entries = new ArrayList<>();
      for (String name : libraries) {
        String resource = "native/lib/" + name.trim();
        URL url = loader.getResource(resource);
        if (url == null) {
          throw new IOException("resource " + resource + " listed but missing from the jar");
        }
        URLConnection connection = url.openConnection();
        long expected =
            connection instanceof JarURLConnection jar ? jar.getJarEntry().getSize() : -1;
        Path out = tmp.resolve(name.trim());
        String sha;
        try (InputStream in = connection.getInputStream();
            OutputStream os = Files.newOutputStream(out)) {
          sha = sha256(in, os);
        }
        long size = Files.size(out);
        if (expected >= 0 && expected != size) {
          throw new IOException(resource + ": wrote " + size + " bytes, jar says " + expected);
        }
        entries.add(new Entry(name.trim(), size, sha));
      }
      writeManifest(tmp.resolve(MANIFEST), entries);
      dev.hydrastream.util.Trees.delete(target);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } finally {
      dev.hydrastream.util.Trees.delete(tmp);
    }
  }

  private static String sha256(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (DigestInputStream din = new DigestInputStream(in, digest)) {
      din.transferTo(out);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void writeManifest(Path file, List<Entry> entries) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Entry e : entries) {
        w.write(e.sha256() + " " + e.size() + " " + e.name() + "\n");
      }
    }
  }

  static List<Entry> readManifest(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      if (parts.length != 3) {
        throw new IOException(file + ": malformed line '" + line + "'");
      }
      entries.add(new Entry(parts[2], Long.parseLong(parts[1]), parts[0]));
    }
    if (entries.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    return entries;
  }

  private static long elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
