package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Each command's {@code --help} lists every exit code the command can return (docs/service.md,
 * "Exit codes"). Regression: the lists left out 5 for {@code parked} and {@code replay}, 1 for
 * {@code migrate}, 2 for {@code run}, and 1 and 2 almost everywhere.
 */
class ExitCodeListTest {

    /**
     * What each command can return: 1 (an unexpected failure) and 2 (a wrong command line) from
     * every command; 3 from those that read the file; 4 from those that check the schema before
     * reading the tables (migrate creates them); 5 from every command that reads the schema version;
     * 6 from every command that connects; 7 from the one-shot commands that connect ({@code run}
     * waits instead); 8 and 9 as their descriptions say.
     */
    private static final Map<String, Set<Integer>> CAN_RETURN = Map.of(
            "run", Set.of(0, 1, 2, 3, 4, 5, 6, 10),
            "migrate", Set.of(0, 1, 2, 3, 5, 6, 7),
            "status", Set.of(0, 1, 2, 3, 4, 5, 6, 7),
            "parked list", Set.of(0, 1, 2, 3, 4, 5, 6, 7),
            "parked retry", Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8),
            "parked drop", Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8),
            "replay", Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
            "config check", Set.of(0, 1, 2, 3),
            "config reference", Set.of(0, 1, 2));

    @Test
    void everyCommandsHelpListsEveryExitCodeItCanReturn() {
        Map<String, Set<Integer>> listed = new LinkedHashMap<>();
        collect(new CommandLine(new RootCommand()), "", listed);

        assertThat(listed).containsOnlyKeys(CAN_RETURN.keySet());
        CAN_RETURN.forEach((command, codes) -> assertThat(listed.get(command)).as(command)
                .containsExactlyInAnyOrderElementsOf(codes));
    }

    @Test
    void theHelpOfEveryCommandShowsItsExitCodes() {
        String help = new CommandLine(new RootCommand()).getSubcommands().get("parked").getSubcommands().get("retry")
                .getUsageMessage();

        assertThat(help).contains("Exit codes:").containsPattern("\\s5\\s+the outbox tables were migrated by a newer Letterbox")
                .containsPattern("\\s8\\s+no parked event matched");
    }

    private static void collect(CommandLine command, String prefix, Map<String, Set<Integer>> out) {
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            String name = prefix + sub.getKey();
            if (sub.getValue().getSubcommands().isEmpty()) {
                Set<Integer> codes = new TreeSet<>();
                sub.getValue().getCommandSpec().usageMessage().exitCodeList().keySet()
                        .forEach(code -> codes.add(Integer.parseInt(code.trim())));
                out.put(name, codes);
            } else {
                collect(sub.getValue(), name + " ", out);
            }
        }
    }
}
