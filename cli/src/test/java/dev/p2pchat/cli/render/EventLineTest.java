package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class EventLineTest {

    private static final Instant AT = Instant.parse("2025-01-02T11:03:04Z");
    private final EventLine lines = new EventLine(ZoneOffset.ofHours(1));

    @Test
    void formatsRoomMessages() {
        assertThat(lines.roomMessage(AT, "lobby", "alice", "hello")).isEqualTo("12:03:04 [room lobby] <alice> hello");
    }

    @Test
    void formatsDirectMessages() {
        assertThat(lines.directMessage(AT, "bob", "bob", "hi")).isEqualTo("12:03:04 [chat bob] <bob> hi");
    }

    @Test
    void formatsNoticesErrorsAndReceipts() {
        assertThat(lines.notice(AT, "bob joined lobby")).isEqualTo("12:03:04 * bob joined lobby");
        assertThat(lines.error(AT, "unknown room")).isEqualTo("12:03:04 ! error: unknown room");
        assertThat(lines.delivered(AT, "3f2a9c")).isEqualTo("12:03:04 ✓ delivered 3f2a9c");
        assertThat(lines.failed(AT, "3f2a9c", "peer offline")).isEqualTo("12:03:04 ✗ failed 3f2a9c: peer offline");
    }

    @Test
    void timestampsUseTheGivenZone() {
        assertThat(new EventLine(ZoneId.of("UTC")).notice(AT, "x")).startsWith("11:03:04 ");
    }

    @Test
    void anEventIsAlwaysOneSanitizedLine() {
        String line = lines.roomMessage(AT, "lobby", "eve", "hi\n12:03:05 * alice left lobby\u001B[2K\r");
        assertThat(line).isEqualTo("12:03:04 [room lobby] <eve> hi↵12:03:05 * alice left lobby").doesNotContain("\n");
    }
}
