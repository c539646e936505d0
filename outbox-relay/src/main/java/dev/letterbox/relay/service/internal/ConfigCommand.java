package dev.letterbox.relay.service.internal;

import dev.letterbox.relay.service.ServiceConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code config}: tools for the configuration file. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Reference.class})
public final class ConfigCommand {

    /** {@code config check}: validates the file and prints the effective configuration with secrets masked. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration file, then print the effective configuration (file values"
                    + " and defaults) with secrets masked. Connects to nothing.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the file is valid",
                ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.CONFIG_HELP})
    public static final class Check implements Callable<Integer> {

        @Mixin
        CommandSupport support;

        @Override
        public Integer call() {
            ServiceConfig c = support.load();
            CommandSupport.requireStrategyInJar(c);
            System.out.println("# " + c.source() + " is valid. Effective configuration (secrets masked):");
            System.out.print(c.toMaskedYaml());
            return ExitCodes.OK;
        }
    }

    /** {@code config reference}: prints the configuration reference (docs/configuration.md) generated from the declarations. */
    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = {"Print the reference of every configuration key as Markdown, generated from the key"
                    + " declarations (docs/configuration.md is its output).",
                "Regenerate that file from the project's root folder with:", "  " + ConfigReference.REGENERATE},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed",
                ExitCodes.FAILURE_HELP, ExitCodes.USAGE + ":wrong command line (unknown option)"})
    public static final class Reference implements Callable<Integer> {

        @Override
        public Integer call() {
            System.out.print(ConfigReference.markdown());
            System.out.flush();
            return ExitCodes.OK;
        }
    }
}
