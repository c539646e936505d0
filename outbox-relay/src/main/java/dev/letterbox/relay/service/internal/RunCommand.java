package dev.letterbox.relay.service.internal;

import dev.letterbox.relay.service.RelayService;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code run}: the relay until SIGTERM or SIGINT, then a graceful stop (in-flight batch finished
 * or left unpublished, leases released) and exit code 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the relay until SIGTERM/SIGINT.",
            "Waits (not ready, one log line per attempt) while the database or Kafka is unreachable."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or SIGINT",
            ExitCodes.FAILURE + ":unexpected failure, the relay cannot start, or the graceful stop took longer than 9 s",
            ExitCodes.USAGE_HELP, ExitCodes.CONFIG_HELP, ExitCodes.SCHEMA_MISSING_HELP, ExitCodes.SCHEMA_NEWER_HELP,
            ExitCodes.DATABASE_REFUSED_HELP, ExitCodes.ADMIN_UNAVAILABLE_HELP})
public final class RunCommand implements Callable<Integer> {

    private static final long STOP_BUDGET_MS = 9_000;

    @Mixin
    CommandSupport support;

    @Override
    public Integer call() throws InterruptedException {
        ServiceConfig c = support.load();
        ServiceConfig.Logging logging = c.logging();
        LoggingSetup.configure(logging.format(), logging.level(), logging.loggers(), true, c.relay().instanceId());
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        log.atInfo().addKeyValue("config_file", c.source()).addKeyValue("config", c.toMaskedMap())
                .log("effective configuration");
        try {
            CommandSupport.requireStrategyInJar(c);
        } catch (FatalStartupException e) {
            return fatal(log, e.exitCode(), e.getMessage());
        }

        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        RelayService service;
        try {
            service = RelayService.start(c);
        } catch (FatalStartupException e) {
            return fatal(log, e.exitCode(), e.getMessage());
        }
        Thread hook = new Thread(service::close, "outbox-relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!stop.await(200, TimeUnit.MILLISECONDS)) {
            Throwable failure = service.failure().toCompletableFuture().getNow(null);
            if (failure != null) {
                int code = fatal(log, ExitCodes.of(failure), failure.getMessage());
                service.close();
                return code;
            }
        }
        log.info("stop signal received: finishing the in-flight batch and releasing leases");
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(STOP_BUDGET_MS);
                log.atError().addKeyValue("budget_ms", STOP_BUDGET_MS).log("graceful stop took longer than its budget; halting");
                Runtime.getRuntime().halt(ExitCodes.FAILURE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outbox-relay-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        service.close();
        watchdog.interrupt();
        return ExitCodes.OK;
    }

    /**
     * Ends {@code run} on a failure that waiting cannot cure: one ERROR event (the message, field
     * {@code exit_code}) in the configured log format, one line on standard error, the exit code.
     */
    private static int fatal(Logger log, int exitCode, String message) {
        log.atError().addKeyValue("exit_code", exitCode).setMessage(message).log();
        System.err.println("outbox-relay: " + message);
        return exitCode;
    }
}
