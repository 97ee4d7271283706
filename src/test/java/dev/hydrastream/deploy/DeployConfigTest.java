package dev.hydrastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.cli.Main;
import dev.hydrastream.config.Settings;
import dev.hydrastream.metrics.DeployFilesTest;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.web.WebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deploy files against the code: the Dockerfiles, {@code docker-compose.yml} and the Kubernetes
 * overlays (as kustomize renders them) set only real settings with valid values (the service's own
 * loader reads them), run only real commands (picocli parses them), and agree with the code and
 * with each other on ports, health and metric paths, topic names, consumer group, image names and
 * the Kafka version. Everything compared is derived from the code ({@link Settings}, {@link
 * Topics}, {@link WebServer}, {@link Main}), so new settings, topics or commands need no change
 * here. The real tools check the files too when installed ({@code .ci/run} installs them): {@code
 * docker-compose config}, {@code kubectl kustomize}, {@code promtool check config}.
 */
class DeployConfigTest {

  static final Path COMPOSE = Path.of("docker-compose.yml");
  static final Path DOCKER = Path.of("deploy/docker");
  static final Path K8S = Path.of("deploy/k8s");
  static final Path PROMETHEUS = Path.of("deploy/prometheus");
  static final Map<String, String> IMAGE_OF_DOCKERFILE =
      Map.of("Dockerfile", "hydrastream", "Dockerfile.gpu", "hydrastream-gpu");

  @TempDir Path tmp;

  // ---- Dockerfiles ----

  @Test
  void dockerfilesBuildInStagesRunAsNonRootWithNativesAndHealthCheck() throws Exception {
    for (String name : IMAGE_OF_DOCKERFILE.keySet()) {
      DockerfileModel f = DockerfileModel.read(DOCKER.resolve(name));
      assertThat(f.stages()).as("%s: multi-stage", name).hasSizeGreaterThanOrEqualTo(2);
      DockerfileModel.Stage image = f.last();
      Map<String, String> env = image.env();
      Settings s = effective(name, null, env);
      int port = s.getInt(Settings.HTTP_PORT);
      assertThat(image.all("EXPOSE")).as(name).containsExactly(String.valueOf(port));
      assertThat(s.getString(Settings.HTTP_HOST))
          .as("%s: reachable from outside", name)
          .isEqualTo("0.0.0.0");
      List<String> users = image.all("USER");
      assertThat(users).as("%s: USER", name).isNotEmpty();
      assertThat(users.get(users.size() - 1))
          .as(name)
          .doesNotStartWith("root")
          .doesNotStartWith("0");
      // The natives are extracted at build time, as the user the container runs as.
      List<DockerfileModel.Instruction> ins = image.instructions();
      int user = lastIndex(ins, "USER");
      int doctor = -1;
      for (int i = 0; i < ins.size(); i++) {
        if (ins.get(i).keyword().equals("RUN")
            && ins.get(i).args().contains("hydrastream doctor")) {
          doctor = i;
        }
      }
      assertThat(doctor).as("%s: RUN hydrastream doctor after USER", name).isGreaterThan(user);
      assertThat(env).containsKey("HYDRA_CACHE_DIR");
      assertThat(image.all("HEALTHCHECK"))
          .as(name)
          .singleElement()
          .asString()
          .contains("${HYDRA_HTTP_PORT}" + WebServer.HEALTH_PATH);
      assertThat(image.all("VOLUME"))
          .as(name)
          .singleElement()
          .asString()
          .contains("\"/models\"")
          .contains("\"" + s.getString(Settings.STATE_DIR) + "\"");
      assertThat(image.all("ENTRYPOINT")).as(name).containsExactly("[\"hydrastream\"]");
      for (String cmd : image.all("CMD")) {
        parsesAsCli(name, jsonArray(cmd));
      }
      assertCopiedSourcesExistAndAreInTheContext(name, f);
    }
    String gpuBase = DockerfileModel.read(DOCKER.resolve("Dockerfile.gpu")).last().from();
    assertThat(gpuBase)
        .as("CUDA 12.x + cuDNN 8.9 (cu121 natives)")
        .contains("cuda:12.")
        .contains("cudnn8");
  }

  private static void assertCopiedSourcesExistAndAreInTheContext(String name, DockerfileModel f)
      throws IOException {
    Set<String> context = new HashSet<>();
    for (String l : Files.readAllLines(Path.of(".dockerignore"))) {
      if (l.startsWith("!")) {
        context.add(l.substring(1));
      }
    }
    for (DockerfileModel.Stage st : f.stages()) {
      for (String copy : st.all("COPY")) {
        if (copy.startsWith("--from")) {
          continue;
        }
        List<String> w = DockerfileModel.words(copy);
        for (String src : w.subList(0, w.size() - 1)) {
          assertThat(Path.of(src)).as("%s: COPY %s", name, src).exists();
          assertThat(context).as("%s: %s in .dockerignore's context", name, src).contains(src);
        }
      }
    }
  }

  // ---- docker-compose.yml ----

  @Test
  @SuppressWarnings("unchecked")
  void composeServicesAgreeWithTheCodeAndEachOther() throws Exception {
    Map<String, Object> services = map(yaml(COMPOSE), "services");
    String version = projectVersion();
    Map<String, Settings> runs = new LinkedHashMap<>();
    Settings topics = null;
    List<List<String>> simulators = new ArrayList<>();
    for (Map.Entry<String, Object> e : services.entrySet()) {
      String name = e.getKey();
      Map<String, Object> svc = (Map<String, Object>) e.getValue();
      String image = (String) svc.get("image");
      for (String hostPath : hostVolumes(svc)) {
        assertThat(Path.of(hostPath)).as("%s: volume %s", name, hostPath).exists();
      }
      if (!image.startsWith("hydrastream")) {
        continue;
      }
      String dockerfile = str(svc, "build", "dockerfile");
      assertThat(image)
          .as(name)
          .isEqualTo(
              IMAGE_OF_DOCKERFILE.get(Path.of(dockerfile).getFileName().toString())
                  + ":"
                  + version);
      Map<String, String> env =
          new LinkedHashMap<>(DockerfileModel.read(Path.of(dockerfile)).last().env());
      env.putAll(environment(svc));
      List<String> command = (List<String>) svc.get("command");
      parsesAsCli(name, command);
      switch (command.get(0)) {
        case "run" -> runs.put(name, effective(name, null, env));
        case "topics" -> topics = effective(name, null, env);
        case "simulate" -> simulators.add(command);
        default -> throw new AssertionError(name + ": unexpected command " + command);
      }
      if (!command.get(0).equals("topics")) {
        assertThat(str(svc, "depends_on", "topics", "condition"))
            .as("%s starts after the topics exist", name)
            .isEqualTo("service_completed_successfully");
      }
    }
    assertThat(runs).as("services running the service").isNotEmpty();
    assertThat(topics).as("a service creating the topics").isNotNull();
    String bootstrap = String.join(",", topics.getList(Settings.BOOTSTRAP_SERVERS));
    for (Map.Entry<String, Settings> r : runs.entrySet()) {
      Settings s = r.getValue();
      String name = r.getKey();
      for (String same :
          List.of(
              Settings.BOOTSTRAP_SERVERS,
              Settings.APPLICATION_ID,
              Settings.TOPIC_PREFIX,
              Settings.TOPIC_PARTITIONS)) {
        assertThat(String.valueOf(s.values().get(same)))
            .as("%s: %s as the topics service has it", name, same)
            .isEqualTo(String.valueOf(topics.values().get(same)));
      }
      assertThat(s.getBoolean(Settings.TOPIC_CREATE)).as(name).isFalse();
      assertThat(standbys(s)).as("%s: num.standby.replicas", name).isPositive();
      assertThat((List<Object>) map(services, name).get("ports"))
          .as("%s publishes http.port", name)
          .singleElement()
          .asString()
          .endsWith(":" + s.getInt(Settings.HTTP_PORT));
    }
    for (List<String> sim : simulators) {
      assertThat(sim.get(sim.indexOf("--bootstrap") + 1)).isEqualTo(bootstrap);
      assertThat(sim).doesNotContain("--topic-prefix"); // the services' prefix is empty
      assertThat(topics.getString(Settings.TOPIC_PREFIX)).isEmpty();
    }
    // Kafka: the clients' version, listening where the services look for it.
    Map<String, Object> kafka = map(services, "kafka");
    assertThat((String) kafka.get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    assertThat(environment(kafka).get("KAFKA_ADVERTISED_LISTENERS"))
        .contains("PLAINTEXT://" + bootstrap);
    // The gpu profile reserves a GPU for a service that refuses to run without one.
    Map<String, Object> gpu = map(services, "hydrastream-gpu");
    assertThat((List<String>) gpu.get("profiles")).containsExactly("gpu");
    assertThat(runs.get("hydrastream-gpu").getString(Settings.MODEL_DEVICE)).isEqualTo("gpu");
    Map<String, Object> device = firstOf(gpu, "deploy", "resources", "reservations", "devices");
    assertThat((List<String>) device.get("capabilities")).contains("gpu");
    checkComposePrometheusAndGrafana(services, runs);
  }

  @SuppressWarnings("unchecked")
  private void checkComposePrometheusAndGrafana(
      Map<String, Object> services, Map<String, Settings> runs) throws Exception {
    Map<String, Object> prom = map(services, "prometheus");
    String mount = mountOf(prom, "./" + PROMETHEUS);
    String configArg =
        ((List<String>) prom.get("command"))
            .stream().filter(a -> a.startsWith("--config.file=")).findFirst().orElseThrow();
    String config = configArg.substring("--config.file=".length());
    assertThat(config).startsWith(mount + "/");
    Map<String, Object> job =
        firstOf(yaml(PROMETHEUS.resolve(config.substring(mount.length() + 1))), "scrape_configs");
    assertThat(job.get("job_name")).isEqualTo("hydrastream");
    assertThat(job.get("metrics_path")).isEqualTo(WebServer.METRICS_PATH);
    Map<String, Object> dns =
        (Map<String, Object>) ((List<Object>) job.get("dns_sd_configs")).get(0);
    assertThat((List<String>) dns.get("names")).containsExactlyInAnyOrderElementsOf(runs.keySet());
    for (Settings s : runs.values()) {
      assertThat(dns.get("port")).isEqualTo(s.getInt(Settings.HTTP_PORT));
    }
    // Grafana: deploy/grafana's provisioning as it is, its datasource reaching the compose
    // Prometheus at 127.0.0.1 because Grafana shares Prometheus' network namespace.
    Map<String, Object> grafana = map(services, "grafana");
    assertThat(grafana.get("network_mode")).isEqualTo("service:prometheus");
    String provisioning = mountOf(grafana, "./deploy/grafana/provisioning");
    assertThat(provisioning).isEqualTo("/etc/grafana/provisioning");
    Map<String, Object> ds =
        firstOf(
            yaml(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml")), "datasources");
    String dashboard = Files.readString(Path.of("deploy/grafana/dashboards/hydrastream.json"));
    assertThat(dashboard).contains("\"uid\": \"" + ds.get("uid") + "\"");
    List<String> promPorts = (List<String>) prom.get("ports");
    assertThat(ds.get("url")).isEqualTo("http://127.0.0.1:" + promPorts.get(0).split(":")[1]);
    assertThat(promPorts).as("Grafana's port, published by Prometheus").contains("3000:3000");
    Map<String, Object> provider =
        firstOf(
            yaml(Path.of("deploy/grafana/provisioning/dashboards/hydrastream.yml")), "providers");
    assertThat(mountOf(grafana, "./deploy/grafana/dashboards"))
        .isEqualTo(str(provider, "options", "path"));
  }

  @Test
  void dockerComposeAcceptsTheFile() throws Exception {
    Assumptions.assumeTrue(onPath("docker-compose"), "docker-compose is not installed");
    for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "gpu"))) {
      List<String> cmd = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
      cmd.addAll(profile);
      cmd.addAll(List.of("config", "-q"));
      assertThat(exec(cmd)).as("%s", cmd).isEmpty();
    }
  }

  @Test
  void promtoolAcceptsTheComposeScrapeConfig() throws Exception {
    Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed");
    exec(
        List.of(
            "promtool",
            "check",
            "config",
            PROMETHEUS.resolve("prometheus-compose.yml").toString()));
  }

  // ---- Kubernetes ----

  @Test
  void kubernetesOverlaysRenderAndAgreeWithTheCode() throws Exception {
    Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed");
    String version = projectVersion();
    for (String overlay : List.of("cpu", "gpu")) {
      Rendered r = render(K8S.resolve("overlays/" + overlay));
      Map<String, Object> sts = r.one("StatefulSet");
      Map<String, Object> pod = map(sts, "spec", "template");
      Map<String, String> podLabels = strings(map(pod, "metadata", "labels"));
      Map<String, Object> c = firstOf(pod, "spec", "containers");
      String image = overlay.equals("gpu") ? "hydrastream-gpu" : "hydrastream";
      assertThat(c.get("image")).as(overlay).isEqualTo(image + ":" + version);
      String dockerfile = overlay.equals("gpu") ? "Dockerfile.gpu" : "Dockerfile";

      List<String> args = (List<String>) c.get("args");
      parsesAsCli(overlay, args);
      Path configPath = Path.of(args.get(args.indexOf("--config") + 1));
      Path props = configMapFile(r, pod, c, configPath);
      Map<String, String> env =
          new LinkedHashMap<>(DockerfileModel.read(DOCKER.resolve(dockerfile)).last().env());
      env.putAll(containerEnv(overlay, c));
      Settings s = effective(overlay, props, env);

      int port = s.getInt(Settings.HTTP_PORT);
      Map<String, Object> http = firstOf(c, "ports");
      assertThat(http).containsEntry("name", "http").containsEntry("containerPort", port);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        assertThat(str(c, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        assertThat(str(c, probe, "httpGet", "path"))
            .as(probe)
            .isEqualTo(
                probe.equals("readinessProbe") ? WebServer.READY_PATH : WebServer.HEALTH_PATH);
      }
      assertThat(mountPath(c, "state")).isEqualTo(s.getString(Settings.STATE_DIR));
      assertThat(list(sts, "spec", "volumeClaimTemplates").toString()).contains("name=state");
      assertThat(standbys(s)).as("num.standby.replicas").isPositive();

      // The headless Service names each pod; each pod advertises that name.
      String headless = str(sts, "spec", "serviceName");
      Map<String, Object> hs = r.named("Service", headless);
      assertThat(str(hs, "spec", "clusterIP")).isEqualTo("None");
      assertThat(podLabels).containsAllEntriesOf(strings(map(hs, "spec", "selector")));
      assertThat(s.getString(Settings.HTTP_ADVERTISED_HOST))
          .isEqualTo("$(POD_NAME)." + headless + ".$(POD_NAMESPACE).svc");

      assertThat(podLabels)
          .containsAllEntriesOf(
              strings(map(r.one("PodDisruptionBudget"), "spec", "selector", "matchLabels")));
      checkServiceMonitor(r, podLabels);
      checkAutoscaler(r.one("ScaledObject"), sts, s);

      if (overlay.equals("gpu")) {
        assertThat(s.getString(Settings.MODEL_DEVICE)).isEqualTo("gpu");
        assertThat(str(c, "resources", "limits", "nvidia.com/gpu")).isEqualTo("1");
        assertThat(list(pod, "spec", "tolerations").toString()).contains("key=nvidia.com/gpu");
      }
    }
    // The plain HPA alternative.
    Rendered hpa = render(K8S.resolve("autoscaling/hpa"));
    Map<String, Object> h = hpa.one("HorizontalPodAutoscaler");
    Rendered base = render(K8S.resolve("overlays/cpu"));
    assertThat(str(h, "spec", "scaleTargetRef", "name"))
        .isEqualTo(str(base.one("StatefulSet"), "metadata", "name"));
    Settings s = effective("base", configMapFile(base, null, null, null), Map.of());
    assertThat((Integer) map(h, "spec").get("maxReplicas"))
        .isLessThanOrEqualTo(s.getInt(Settings.TOPIC_PARTITIONS));
    Map<String, Object> metric = map(firstOf(h, "spec", "metrics"), "external", "metric");
    assertThat(DeployFilesTest.exposedNames()).contains((String) metric.get("name"));
    assertThat(str(metric, "selector", "matchLabels", "topic"))
        .isEqualTo(Topics.of(s).cameraFrames().name());
  }

  private static void checkServiceMonitor(Rendered r, Map<String, String> podLabels) {
    Map<String, Object> sm = r.one("ServiceMonitor");
    Map<String, Object> ep = firstOf(sm, "spec", "endpoints");
    assertThat(ep).containsEntry("port", "http").containsEntry("path", WebServer.METRICS_PATH);
    Map<String, String> wanted = strings(map(sm, "spec", "selector", "matchLabels"));
    boolean found = false;
    for (Map<String, Object> svc : r.all("Service")) {
      if (strings(map(svc, "metadata", "labels")).entrySet().containsAll(wanted.entrySet())
          && !"None".equals(map(svc, "spec").get("clusterIP"))) {
        found = true;
        assertThat(podLabels).containsAllEntriesOf(strings(map(svc, "spec", "selector")));
        assertThat(list(svc, "spec", "ports").toString()).contains("name=http");
      }
    }
    assertThat(found).as("a Service the ServiceMonitor selects").isTrue();
  }

  private static void checkAutoscaler(Map<String, Object> so, Map<String, Object> sts, Settings s) {
    assertThat(str(so, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
    assertThat(str(so, "spec", "scaleTargetRef", "name")).isEqualTo(str(sts, "metadata", "name"));
    assertThat((Integer) map(so, "spec").get("maxReplicaCount"))
        .as("no more pods than camera.frames has partitions")
        .isLessThanOrEqualTo(s.getInt(Settings.TOPIC_PARTITIONS));
    Map<String, Object> trigger = firstOf(so, "spec", "triggers");
    assertThat(trigger.get("type")).isEqualTo("kafka");
    Map<String, Object> meta = map(trigger, "metadata");
    assertThat(meta.get("bootstrapServers"))
        .isEqualTo(String.join(",", s.getList(Settings.BOOTSTRAP_SERVERS)));
    assertThat(meta.get("consumerGroup")).isEqualTo(s.getString(Settings.APPLICATION_ID));
    assertThat(meta.get("topic")).isEqualTo(Topics.of(s).cameraFrames().name());
  }

  /**
   * The properties file the container reads: {@code configPath}'s file name in the ConfigMap
   * mounted at its directory (with null arguments: the one ConfigMap's one file).
   */
  private Path configMapFile(
      Rendered r, Map<String, Object> pod, Map<String, Object> c, Path configPath)
      throws IOException {
    Map<String, Object> cm = r.one("ConfigMap");
    Map<String, Object> data = map(cm, "data");
    String key =
        configPath == null ? data.keySet().iterator().next() : configPath.getFileName().toString();
    if (configPath != null) {
      String cmName = str(cm, "metadata", "name");
      String volume = null;
      for (Object v : list(pod, "spec", "volumes")) {
        Map<String, Object> vm = (Map<String, Object>) v;
        if (vm.get("configMap") != null && cmName.equals(str(vm, "configMap", "name"))) {
          volume = (String) vm.get("name");
        }
      }
      assertThat(volume).as("a volume of ConfigMap %s", cmName).isNotNull();
      assertThat(mountPath(c, volume)).isEqualTo(configPath.getParent().toString());
    }
    assertThat(data).containsKey(key);
    Path file = Files.createTempFile(tmp, "config", ".properties");
    Files.writeString(file, (String) data.get(key));
    return file;
  }

  /**
   * The container's variables; a variable that is no setting must be one another variable refers to
   * as {@code $(NAME)} (the pod's name for the advertised host).
   */
  private static Map<String, String> containerEnv(String where, Map<String, Object> c) {
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> helpers = new HashSet<>();
    for (Object o : list(c, "env")) {
      Map<String, Object> e = (Map<String, Object>) o;
      String name = (String) e.get("name");
      if (name.startsWith(Settings.ENV_PREFIX)) {
        env.put(name, String.valueOf(e.get("value")));
      } else {
        helpers.add(name);
      }
    }
    for (String h : helpers) {
      assertThat(env.values().stream().anyMatch(v -> v.contains("$(" + h + ")")))
          .as("%s: %s is no setting and no other variable uses it", where, h)
          .isTrue();
    }
    return env;
  }

  private static String mountPath(Map<String, Object> c, String volume) {
    for (Object o : list(c, "volumeMounts")) {
      Map<String, Object> m = (Map<String, Object>) o;
      if (volume.equals(m.get("name"))) {
        return (String) m.get("mountPath");
      }
    }
    throw new AssertionError("no mount of volume " + volume);
  }

  /** The documents kustomize renders for {@code dir}. */
  record Rendered(List<Map<String, Object>> docs) {
    List<Map<String, Object>> all(String kind) {
      return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
      assertThat(all(kind)).as(kind).hasSize(1);
      return all(kind).get(0);
    }

    Map<String, Object> named(String kind, String name) {
      return all(kind).stream()
          .filter(d -> name.equals(str(d, "metadata", "name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
  }

  @SuppressWarnings("unchecked")
  private static Rendered render(Path dir) throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(exec(List.of("kubectl", "kustomize", dir.toString())))) {
      if (d != null) {
        docs.add((Map<String, Object>) d);
      }
    }
    return new Rendered(docs);
  }

  // ---- shared ----

  /**
   * The settings a deployment gives the service: the properties file (or none) and the variables,
   * loaded by the service's own loader, so an unknown or invalid setting fails here as it would at
   * start; {@code kafka.*} keys must be Kafka Streams or client configs.
   */
  static Settings effective(String where, Path file, Map<String, String> env) {
    assertThat(Settings.unknownEnvironment(env))
        .as("%s: unknown HYDRA_* variables", where)
        .isEmpty();
    Settings s = Settings.load(file, env, Map.of());
    Set<String> kafka = new HashSet<>(StreamsConfig.configDef().names());
    kafka.addAll(ConsumerConfig.configNames());
    kafka.addAll(ProducerConfig.configNames());
    kafka.addAll(AdminClientConfig.configNames());
    for (String k : s.kafkaOverrides().keySet()) {
      String bare =
          k.replaceFirst(
              "^(main\\.consumer|restore\\.consumer|global\\.consumer|consumer|producer|admin)\\.",
              "");
      assertThat(kafka.contains(bare)).as("%s: kafka.%s is a Kafka config", where, k).isTrue();
    }
    return s;
  }

  private static int standbys(Settings s) {
    Object v = s.kafkaOverrides().get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG);
    return v == null ? 0 : Integer.parseInt(v.toString());
  }

  /** Fails unless {@code hydrastream ARGS...} parses (command, subcommand, options, values). */
  static void parsesAsCli(String where, List<String> args) {
    try {
      Main.commandLine().parseArgs(args.toArray(String[]::new));
    } catch (picocli.CommandLine.ParameterException e) {
      throw new AssertionError(where + ": hydrastream " + args + ": " + e.getMessage(), e);
    }
  }

  static String projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>hydrastream</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static List<String> jsonArray(String exec) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(exec);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int lastIndex(List<DockerfileModel.Instruction> ins, String keyword) {
    int at = -1;
    for (int i = 0; i < ins.size(); i++) {
      if (ins.get(i).keyword().equals(keyword)) {
        at = i;
      }
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> svc) {
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<String, Object>) svc.getOrDefault("environment", Map.of()))
        .forEach((k, v) -> env.put(k, String.valueOf(v)));
    return env;
  }

  @SuppressWarnings("unchecked")
  private static List<String> hostVolumes(Map<String, Object> svc) {
    List<String> out = new ArrayList<>();
    for (Object v : (List<Object>) svc.getOrDefault("volumes", List.of())) {
      String s = v.toString();
      if (s.startsWith("./")) {
        out.add(s.split(":")[0]);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String mountOf(Map<String, Object> svc, String hostPath) {
    for (Object v : (List<Object>) svc.get("volumes")) {
      String[] p = v.toString().split(":");
      if (p[0].equals(hostPath)) {
        return p[1];
      }
    }
    throw new AssertionError("no volume of " + hostPath);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object root, String... path) {
    Object o = root;
    for (String p : path) {
      assertThat(o).as("%s in %s", p, String.join(".", path)).isInstanceOf(Map.class);
      o = ((Map<String, Object>) o).get(p);
    }
    assertThat(o).as(String.join(".", path)).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object root, String... path) {
    Object parent =
        path.length == 1 ? root : map(root, java.util.Arrays.copyOf(path, path.length - 1));
    Object o = ((Map<String, Object>) parent).get(path[path.length - 1]);
    assertThat(o).as(String.join(".", path)).isInstanceOf(List.class);
    return (List<Object>) o;
  }

  /** The first element of the list at {@code path}, a map (a container, a port, a job...). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> firstOf(Object root, String... path) {
    List<Object> l = list(root, path);
    assertThat(l).as(String.join(".", path)).isNotEmpty();
    assertThat(l.get(0)).as(String.join(".", path) + "[0]").isInstanceOf(Map.class);
    return (Map<String, Object>) l.get(0);
  }

  static String str(Object root, String... path) {
    Object parent =
        path.length == 1 ? root : map(root, java.util.Arrays.copyOf(path, path.length - 1));
    Object v = ((Map<?, ?>) parent).get(path[path.length - 1]);
    return v == null ? null : v.toString();
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code cmd}; returns its stdout, failing with its stderr when it exits non-zero. */
  static String exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    p.getOutputStream().close();
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s ended", cmd).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, err.get()).isZero();
    return out;
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
