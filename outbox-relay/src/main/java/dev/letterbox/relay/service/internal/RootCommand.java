package dev.letterbox.relay.service.internal;

import picocli.CommandLine.Command;

/** The top of the command line: {@code java -jar outbox-relay.jar <command>}. */
@Command(name = "outbox-relay", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = "Letterbox relay: publishes transactional outbox events to Kafka.",
        subcommands = {RunCommand.class, MigrateCommand.class, StatusCommand.class, ParkedCommand.class,
            ReplayCommand.class, ConfigCommand.class},
        footer = {"", "Exit codes are listed by each command's --help and in docs/service.md."})
public final class RootCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a command: run, migrate, status, parked, replay or config");
    }

    /** The version from the jar's manifest. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {"outbox-relay " + (v == null ? "(development build)" : v)};
        }
    }
}
