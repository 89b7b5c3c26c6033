package dev.p2pchat.peer.history;

import java.time.Instant;

/** A kept room message with its author's signature: what a member serves when another asks for the backlog. */
public record SignedMessage(String id, String sender, Instant sentAt, String text, String signature) {
}
