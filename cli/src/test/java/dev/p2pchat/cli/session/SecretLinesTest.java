package dev.p2pchat.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretLinesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/login alice secret", "/login alice", "  /LOGIN alice pw", "/register bob pw",
            "/register", "/create club --password pw", "/create club --password=pw --capacity 3",
            "/create club --pasword pw", "/join club pw", "/join club \"two words\"", "/join",
            "/login\u2003bob pw", "/register\u2003bob\u2003pw", "/login\u3000bob pw", "/login\u2028bob pw",
            "/join\u2003club\u2003pw", "/create\u2003club\u2003--password\u2003pw"})
    void linesThatMayHoldAPasswordStayOutOfHistory(String line) {
        assertThat(SecretLines.mayHoldSecret(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/join lobby", "/create lobby --description a room", "hello /login alice pw",
            "//login is a command", "/msg bob hi", "/rooms", "/create x --capacity 1", "/create x --capacity=0",
            "/create x --color red"})
    void ordinaryLinesAreKept(String line) {
        assertThat(SecretLines.mayHoldSecret(line)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u2003", "\u3000", "\u2028", "\u2029", "\u1680", "\u2000", "\u200A", "\u205F", "\t", "\u000B", "\u001F"})
    void theHistoryFilterSplitsTheCommandWhereTheParserDoes(String space) {
        String line = "/login" + space + "bob pw";
        boolean parserSeesLogin = dev.p2pchat.cli.command.CommandParser.parse(line) instanceof dev.p2pchat.cli.command.Command.Login;

        assertThat(parserSeesLogin).isTrue();
        assertThat(SecretLines.mayHoldSecret(line)).isTrue();
    }
}
