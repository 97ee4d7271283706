package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.admin.TopicAdmin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code topics create}: the service's topics created ahead of the service, with the same settings
 * {@code run} reads, so that producers (cameras, the simulator) can start before any instance and a
 * deployment can run its instances with {@code topic.create=false}.
 */
@Command(name = "topics", description = "Topic tools.", subcommands = TopicsCommand.Create.class)
final class TopicsCommand extends CommandGroup {

  /** What {@code topics create} did. */
  record Created(String bootstrap, int partitions, List<String> created, List<String> existing) {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create the topics the service reads and writes (and its latest-frame store's"
            + " changelog) that do not exist yet, wait until every partition has a serving"
            + " leader, and exit. Existing topics are left as they are.",
        "Settings as for run: --config, then HYDRA_* environment variables, then --set"
            + " (bootstrap.servers, topic.prefix, topic.partitions, topic.replication.factor,"
            + " application.id)."
      })
  static final class Create implements Callable<Integer> {

    @Option(names = "--config", description = "Properties file with settings.")
    Path config;

    @Mixin SetOption set;
    @Mixin JsonOption json;

    @Override
    public Integer call() throws Exception {
      Settings settings =
          Settings.load(config, System.getenv(), set.values)
              .with(Map.of(Settings.TOPIC_CREATE, "true"))
              .require(Settings.BOOTSTRAP_SERVERS);
      TopicAdmin.checkBrokersAndTopics(settings);
      TopicAdmin.Creation c = TopicAdmin.createServiceTopics(settings);
      json.print(
          new Created(
              String.join(",", settings.getList(Settings.BOOTSTRAP_SERVERS)),
              settings.getInt(Settings.TOPIC_PARTITIONS),
              c.created(),
              c.existing()));
      return 0;
    }
  }
}
