package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.command.Conversation;

class BuffersTest {

    private static final Conversation LOBBY = new Conversation.Room("lobby");
    private static final Conversation BOB = new Conversation.Direct("bob");

    private final Buffers buffers = new Buffers(100);

    @Test
    void theStatusBufferIsFirstAndShownAtStart() {
        assertThat(buffers.statusLine()).isEqualTo("[1:status]");
        assertThat(buffers.current()).isEmpty();
        assertThat(buffers.add(Buffers.Place.CURRENT, "logged in", Buffers.Activity.QUIET)).isTrue();
    }

    @Test
    void linesInBuffersNotShownCountAsUnreadAndMentionsHighlight() {
        assertThat(buffers.add(new Buffers.Place.Of(LOBBY), "a", Buffers.Activity.MESSAGE)).isFalse();
        buffers.add(new Buffers.Place.Of(LOBBY), "b", Buffers.Activity.MESSAGE);
        buffers.add(new Buffers.Place.Of(LOBBY), "carol joined", Buffers.Activity.QUIET);
        buffers.add(new Buffers.Place.Of(BOB), "hi alice", Buffers.Activity.HIGHLIGHT);

        assertThat(buffers.statusLine()).isEqualTo("[1:status] 2:#lobby(2) 3:bob(1!)");
    }

    @Test
    void namesMatchWhateverTheirCase() {
        buffers.add(new Buffers.Place.Of(new Conversation.Room("Lobby")), "a", Buffers.Activity.MESSAGE);
        buffers.add(new Buffers.Place.Of(LOBBY), "b", Buffers.Activity.MESSAGE);
        // A user may be named like a room: they are different buffers.
        buffers.add(new Buffers.Place.Of(new Conversation.Direct("lobby")), "c", Buffers.Activity.MESSAGE);

        assertThat(buffers.statusLine()).isEqualTo("[1:status] 2:#Lobby(2) 3:lobby(1)");
    }

    @Test
    void switchingShowsTheBufferClearsItsCountAndLinesThereArePrintedAtOnce() {
        buffers.add(new Buffers.Place.Of(LOBBY), "a", Buffers.Activity.MESSAGE);

        Optional<Buffers.View> view = buffers.focus(Optional.of(LOBBY));

        assertThat(view).hasValueSatisfying(v -> assertThat(v.lines()).containsExactly("a"));
        assertThat(buffers.statusLine()).isEqualTo("1:status [2:#lobby]");
        assertThat(buffers.add(new Buffers.Place.Of(LOBBY), "b", Buffers.Activity.MESSAGE)).isTrue();
        assertThat(buffers.add(Buffers.Place.CURRENT, "an answer", Buffers.Activity.QUIET)).isTrue();
        assertThat(buffers.focus(Optional.of(LOBBY))).as("already shown").isEmpty();
    }

    @Test
    void theReadMarkerStandsWhereTheBufferWasLeft() {
        buffers.focus(Optional.of(LOBBY));
        buffers.add(new Buffers.Place.Of(LOBBY), "seen 1", Buffers.Activity.MESSAGE);
        buffers.add(new Buffers.Place.Of(LOBBY), "seen 2", Buffers.Activity.MESSAGE);
        buffers.focus(Optional.empty());
        buffers.add(new Buffers.Place.Of(LOBBY), "new 1", Buffers.Activity.MESSAGE);

        Buffers.View back = buffers.focus(Optional.of(LOBBY)).orElseThrow();

        assertThat(back.lines()).containsExactly("seen 1", "seen 2", "new 1");
        assertThat(back.markerAt()).isEqualTo(2);
        Buffers.View nothingNew = buffers.focus(Optional.empty()).orElseThrow();
        assertThat(nothingNew.markerAt()).isEqualTo(-1);
    }

    @Test
    void aBufferNeverShownHasNoReadMarker() {
        buffers.add(new Buffers.Place.Of(BOB), "hi", Buffers.Activity.MESSAGE);

        assertThat(buffers.focus(Optional.of(BOB)).orElseThrow().markerAt()).isEqualTo(-1);
    }

    @Test
    void oldLinesAreDroppedButTheMarkerKeepsItsPlaceAmongTheRest() {
        Buffers small = new Buffers(3);
        small.focus(Optional.of(LOBBY));
        small.add(new Buffers.Place.Of(LOBBY), "1", Buffers.Activity.MESSAGE);
        small.focus(Optional.empty());
        for (int i = 2; i <= 6; i++) {
            small.add(new Buffers.Place.Of(LOBBY), String.valueOf(i), Buffers.Activity.MESSAGE);
        }

        Buffers.View view = small.focus(Optional.of(LOBBY)).orElseThrow();

        assertThat(view.lines()).containsExactly("4", "5", "6");
        assertThat(view.markerAt()).as("the read part scrolled away: the marker is at the top").isZero();
    }

    @Test
    void numbersAndNeighboursFollowTheOrderBuffersAppeared() {
        buffers.add(new Buffers.Place.Of(LOBBY), "a", Buffers.Activity.MESSAGE);
        buffers.add(new Buffers.Place.Of(BOB), "b", Buffers.Activity.MESSAGE);

        assertThat(buffers.at(1)).contains(Optional.empty());
        assertThat(buffers.at(3)).contains(Optional.of(BOB));
        assertThat(buffers.at(4)).isEmpty();
        assertThat(buffers.neighbour(1)).contains(LOBBY);
        assertThat(buffers.neighbour(-1)).contains(BOB);
    }
}
