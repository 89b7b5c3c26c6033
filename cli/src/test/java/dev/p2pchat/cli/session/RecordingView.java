package dev.p2pchat.cli.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.p2pchat.cli.command.Conversation;

/** A {@link ChatView} that writes each call as one readable string. */
final class RecordingView implements ChatView {

    final List<String> out = new CopyOnWriteArrayList<>();
    final List<java.time.Instant> messageTimes = new CopyOnWriteArrayList<>();
    volatile String prompt = "";

    @Override
    public void message(Instant at, Conversation conversation, String sender, String text) {
        out.add("message " + tag(conversation) + " <" + sender + "> " + text);
        messageTimes.add(at);
    }

    @Override
    public void sent(Instant at, Conversation conversation, String sender, String text, String id) {
        out.add("sent " + tag(conversation) + " <" + sender + "> " + text + " " + id);
    }

    @Override
    public void receipt(Instant at, String id, Receipt receipt) {
        out.add("receipt " + id + " " + (receipt.complete() ? "✓ " : "✗ ") + receipt.describe());
    }

    @Override
    public void notice(Instant at, String text) {
        out.add("notice " + text);
    }

    @Override
    public void error(Instant at, String text) {
        out.add("error " + text);
    }

    @Override
    public void connection(Instant at, Connection change) {
        out.add((change.up() ? "notice " : "error ") + change.text());
    }

    @Override
    public void block(Instant at, List<String> lines) {
        out.add("block " + String.join(" | ", lines));
    }

    @Override
    public void stateChanged(String username, Optional<Conversation> current) {
        prompt = username + current.map(ChatSessionTest::tag).map(t -> " " + t).orElse("");
    }

    private static String tag(Conversation conversation) {
        return ChatSessionTest.tag(conversation);
    }

    String last() {
        return out.getLast();
    }
}
