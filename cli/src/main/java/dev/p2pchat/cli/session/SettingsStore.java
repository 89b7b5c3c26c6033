package dev.p2pchat.cli.session;

import java.nio.file.Path;

/** Where {@code /set} and {@code /save} keep the settings: the config file in the app. */
public interface SettingsStore {

    /** Changes {@code key}; returns the value as it will be saved. A bad key or value is the user's error. */
    String set(String key, String value) throws UserError;

    /** Writes the settings, with {@code ignored} as the ignore list; returns the file written. */
    Path save(java.util.Collection<String> ignored) throws UserError;

    /** A store that refuses: there is nowhere to keep settings. */
    static SettingsStore none() {
        return new SettingsStore() {
            @Override
            public String set(String key, String value) throws UserError {
                throw new UserError("settings cannot be changed here");
            }

            @Override
            public Path save(java.util.Collection<String> ignored) throws UserError {
                throw new UserError("settings cannot be saved here");
            }
        };
    }
}
