package dev.p2pchat.cli.session;

import java.util.List;

/** The outcome of one sent message, as shown to the user. */
public sealed interface Receipt {

    /** True when the message reached everyone it was meant for. */
    boolean complete();

    /** The receipt without its mark, e.g. "delivered to bob", "1/2 — missing: carol". */
    String describe();

    record Delivered(String to) implements Receipt {
        @Override
        public boolean complete() {
            return true;
        }

        @Override
        public String describe() {
            return "delivered to " + to;
        }
    }

    /** Not delivered yet: sealed and waiting in {@code to}'s mailbox at the registry; a Delivered follows. */
    record Stored(String to) implements Receipt {
        @Override
        public boolean complete() {
            return false;
        }

        @Override
        public String describe() {
            return "stored for " + to + " (offline)";
        }
    }

    record Failed(String to, String reason) implements Receipt {
        @Override
        public boolean complete() {
            return false;
        }

        @Override
        public String describe() {
            return "not delivered to " + to + (reason == null || reason.isBlank() ? "" : ": " + reason);
        }
    }

    /** {@code delivered} of the {@code members} other room members confirmed; {@code missing} did not. */
    record Room(int delivered, int members, List<String> missing) implements Receipt {
        public Room {
            missing = List.copyOf(missing);
        }

        @Override
        public boolean complete() {
            return delivered >= members;
        }

        /** Nobody got it although someone should have. */
        public boolean failed() {
            return delivered == 0 && members > 0;
        }

        @Override
        public String describe() {
            String count = delivered + "/" + members;
            return missing.isEmpty() ? count : count + " — missing: " + String.join(", ", missing);
        }
    }
}
