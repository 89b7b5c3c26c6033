package dev.p2pchat.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretLinesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/login alice secret", "/login alice", "  /LOGIN alice pw", "/register bob pw",
            "/register", "/create club --password pw", "/create club --password=pw --capacity 3",
            "/create club --pasword pw", "/join club pw", "/join club \"two words\"", "/join"})
    void linesThatMayHoldAPasswordStayOutOfHistory(String line) {
        assertThat(SecretLines.mayHoldSecret(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/join lobby", "/create lobby --description a room", "hello /login alice pw",
            "//login is a command", "/msg bob hi", "/rooms"})
    void ordinaryLinesAreKept(String line) {
        assertThat(SecretLines.mayHoldSecret(line)).isFalse();
    }
}
