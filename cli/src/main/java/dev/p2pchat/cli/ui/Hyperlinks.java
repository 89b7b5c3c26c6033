package dev.p2pchat.cli.ui;

import java.util.Map;

/**
 * Whether to wrap URLs in OSC 8 hyperlinks. {@code auto} turns them on only where the environment names
 * a terminal known to support them (iTerm2, WezTerm, VS Code, Ghostty, Windows Terminal, kitty, foot,
 * Konsole, GNOME Terminal and other VTE ≥ 0.50 terminals, Alacritty): a few old terminals print the
 * sequence instead of ignoring it, and a link that only looks like plain text is a small loss.
 * Inside tmux or screen links are off in {@code auto} mode, since their pass-through depends on setup.
 */
public enum Hyperlinks {
    AUTO, ALWAYS, NEVER;

    public boolean enabled(Map<String, String> environment) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> supported(environment);
        };
    }

    static boolean supported(Map<String, String> env) {
        String term = env.getOrDefault("TERM", "");
        if (env.containsKey("TMUX") || term.startsWith("screen") || term.startsWith("tmux") || term.equals("dumb")) {
            return false;
        }
        String program = env.getOrDefault("TERM_PROGRAM", "");
        if (program.equals("iTerm.app") || program.equals("WezTerm") || program.equals("vscode")
                || program.equals("ghostty") || program.equals("Hyper")) {
            return true;
        }
        if (env.containsKey("WT_SESSION") || env.containsKey("KITTY_WINDOW_ID") || env.containsKey("KONSOLE_VERSION")
                || env.containsKey("ALACRITTY_WINDOW_ID")) {
            return true;
        }
        if (term.contains("kitty") || term.startsWith("foot") || term.contains("ghostty") || term.equals("alacritty")) {
            return true;
        }
        try {
            return Integer.parseInt(env.getOrDefault("VTE_VERSION", "0")) >= 5000;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
