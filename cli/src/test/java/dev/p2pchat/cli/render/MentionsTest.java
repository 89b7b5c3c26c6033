package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MentionsTest {

    @Test
    void theNameAsAWordInAnyCaseIsAMention() {
        assertThat(Mentions.mentions("hi alice", "alice")).isTrue();
        assertThat(Mentions.mentions("ALICE: look", "alice")).isTrue();
        assertThat(Mentions.mentions("ask Alice.", "alice")).isTrue();
        assertThat(Mentions.mentions("(alice)", "alice")).isTrue();
    }

    @Test
    void theNameInsideAnotherWordIsNot() {
        assertThat(Mentions.mentions("malice aforethought", "alice")).isFalse();
        assertThat(Mentions.mentions("alice2 is here", "alice")).isFalse();
        assertThat(Mentions.mentions("alice_bot", "alice")).isFalse();
        assertThat(Mentions.mentions("alicé", "alic")).isFalse();
    }

    @Test
    void namesWithDotsAndDashesAreMatchedLiterally() {
        assertThat(Mentions.mentions("hey j.doe!", "j.doe")).isTrue();
        assertThat(Mentions.mentions("hey jxdoe!", "j.doe")).isFalse();
    }

    @Test
    void anEscapeSequenceCannotHideOrForgeAMention() {
        assertThat(Mentions.mentions("al\u001B[0mice", "alice")).isTrue();
        assertThat(Mentions.mentions(null, "alice")).isFalse();
        assertThat(Mentions.mentions("alice", null)).isFalse();
    }
}
