package dev.p2pchat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.command.HelpText;
import picocli.CommandLine;

/** The README's tables of chat commands and peer flags cannot fall behind the program. */
class ReadmeTest {

    private static String readme() throws IOException {
        // Surefire runs in the module directory; the README is the repository's.
        return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void everyChatCommandIsInTheReadme() throws IOException {
        String readme = readme();
        for (HelpText.Entry entry : HelpText.entries()) {
            assertThat(readme).as("/%s", entry.name()).contains("`/" + entry.name());
        }
    }

    @Test
    void everyVisiblePeerFlagIsInTheReadme() throws IOException {
        String readme = readme();
        for (CommandLine.Model.OptionSpec option : new CommandLine(new PeerCommand()).getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp() && !option.hidden()) {
                assertThat(readme).as(option.longestName())
                        .containsPattern("(?<![\\w-])" + option.longestName() + "(?![\\w-])");
            }
        }
    }
}
