package dev.hydrastream.cli;

import dev.hydrastream.config.SettingsDocs;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./hydrastream} launcher: one picocli command per pipeline task. */
@Command(
    name = "hydrastream",
    versionProvider = VersionProvider.class,
    description = "Kafka Streams driving perception: one multi-task network, one topic per task.",
    subcommands = {
      DoctorCommand.class,
      DatasetCommand.class,
      TrainCommand.class,
      WeightsCommand.class,
      InferCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      RunCommand.class,
      TopologyCommand.class,
      TopicsCommand.class,
      ModelCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      ReplayCommand.class,
      CameraCommand.class,
      DocsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main extends CommandGroup {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // Every duration option (camera --io-timeout, run --start-timeout, ...) reads 60s, 5m, 250ms.
    cli.registerConverter(Duration.class, new DurationConverter());
    // run --help lists every setting, rendered from the ConfigDef like the README's table.
    cli.getSubcommands()
        .get("run")
        .getCommandSpec()
        .usageMessage()
        .footerHeading("%nSettings (--config FILE, HYDRA_* variables, --set KEY=VALUE):%n")
        .footer(SettingsDocs.helpText(78).replace("%", "%%"));
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println(
                  commandLine
                      .getColorScheme()
                      .errorText(
                          "error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage())));
          if (Boolean.getBoolean("hydra.debug")) {
            ex.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    return cli;
  }
}
