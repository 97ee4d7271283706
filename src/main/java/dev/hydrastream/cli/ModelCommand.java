package dev.hydrastream.cli;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.ModelRepository;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.control.ControlRecords;
import dev.hydrastream.streams.control.ModelControl;
import dev.hydrastream.streams.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code model list|activate|status}: rolling out a model to running instances through
 * perception.control, and what each instance serves from perception.model-status
 * (docs/operations.md "Rolling out a model").
 */
@Command(
    name = "model",
    description = "Model rollout: the repository, activations on perception.control, status.",
    subcommands = {
      ModelCommand.ListModels.class,
      ModelCommand.Activate.class,
      ModelCommand.Status.class
    })
final class ModelCommand extends CommandGroup {

  /**
   * One model of the repository.
   *
   * @param verified whether its card reads and its files match it (SHA-256 of saved_model.pb)
   * @param problem why not, or null
   */
  record Row(
      String name,
      String version,
      String dir,
      String sha256,
      List<String> heads,
      boolean verified,
      String problem) {
    static Row of(ModelRepository.Entry e) {
      ModelCard c = e.card();
      return new Row(
          e.name(),
          e.version(),
          e.dir().toString(),
          c == null ? null : c.raw().path(ModelCard.SHA256_FIELD).asText(null),
          c == null ? List.of() : c.heads().stream().map(h -> h.id()).toList(),
          e.verified(),
          e.problem());
    }
  }

  /**
   * A model command: --help and --version, the service's settings (to reach the cluster and the
   * repository), --json.
   */
  @Command(mixinStandardHelpOptions = true)
  abstract static class Subcommand implements Callable<Integer> {
    @Mixin ServiceSettingsOption settings;
    @Mixin JsonOption json;
  }

  /** What {@code model list} found. */
  record Listed(String repository, List<Row> models) {}

  @Command(
      name = "list",
      description =
          "List the models of model.repository (NAME/VERSION/, or a flat NAME/ as the version its"
              + " card names) with their cards, and whether each verifies on files (the card reads,"
              + " saved_model.pb matches its SHA-256).")
  static final class ListModels extends Subcommand {
    @Override
    public Integer call() throws Exception {
      ModelRepository repo = new ModelRepository(settings.settings().modelRepository());
      json.print(new Listed(repo.root().toString(), repo.list().stream().map(Row::of).toList()));
      return 0;
    }
  }

  /** One instance's answer to an activation (or what it serves, for {@code status}). */
  record Instance(
      String instance,
      String serves,
      String sha256,
      String lastActivation,
      String outcome,
      String reason,
      String request) {
    static Instance of(ControlRecords.Status s) {
      ControlRecords.LastActivation l = s.last();
      return new Instance(
          s.instance(),
          s.model() + "@" + s.version(),
          s.sha256(),
          l == null ? null : l.model() + "@" + l.version(),
          l == null ? null : l.outcome(),
          l == null ? null : l.reason(),
          l == null ? null : l.request());
    }
  }

  /** What {@code model activate} did. */
  record Requested(
      String model,
      String version,
      String dir,
      String sha256,
      String topic,
      String request,
      List<Instance> instances) {}

  @Command(
      name = "activate",
      description = {
        "Check that NAME VERSION is in model.repository and verifies on files, then put"
            + " {\"action\":\"activate\",...} on perception.control: every instance loads, verifies,"
            + " warms and switches to it, or refuses it and keeps its model.",
        "With --wait, wait until every instance on perception.model-status has answered; the exit"
            + " code is 1 if any refused it (the reasons are printed) or did not answer in time."
      })
  static final class Activate extends Subcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "Model version.")
    String version;

    @Option(names = "--wait", description = "Wait for every instance's outcome.")
    boolean wait;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "3m",
        description = "Longest --wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      Settings s = settings.settings().require(Settings.BOOTSTRAP_SERVERS);
      ModelRepository repo = new ModelRepository(s.modelRepository());
      ModelRepository.Entry entry = repo.require(name, version);
      var dir = entry.dir();
      ModelCard card = entry.card();
      String request = UUID.randomUUID().toString();
      ModelControl.request(s, ControlRecords.Activate.of(name, version, request));
      List<Instance> answers =
          wait
              ? ModelControl.await(s, request, timeout).values().stream().map(Instance::of).toList()
              : List.of();
      json.print(
          new Requested(
              name,
              version,
              dir.toString(),
              card.raw().path(ModelCard.SHA256_FIELD).asText(),
              Topics.of(s).control().name(),
              request,
              answers));
      boolean ok =
          !wait
              || (!answers.isEmpty()
                  && answers.stream()
                      .allMatch(
                          a -> request.equals(a.request()) && "activated".equals(a.outcome())));
      return ok ? 0 : 1;
    }
  }

  /** What {@code model status} found. */
  record Statuses(String topic, List<Instance> instances) {}

  @Command(
      name = "status",
      description =
          "Show what each running instance serves and its last activation's outcome, as the"
              + " instances report them on perception.model-status (keyed by instance.id).")
  static final class Status extends Subcommand {
    @Override
    public Integer call() throws Exception {
      Settings s = settings.settings().require(Settings.BOOTSTRAP_SERVERS);
      json.print(
          new Statuses(
              Topics.of(s).modelStatus().name(),
              ModelControl.statuses(s).values().stream().map(Instance::of).toList()));
      return 0;
    }
  }
}
