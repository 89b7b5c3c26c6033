package dev.p2pchat.registry.store;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds a name to the key that makes names unique ignoring case. Done in Java so every
 * database backend folds identically; NFC first so that composed and decomposed spellings
 * of the same letters are one name.
 */
final class NameKey {
    private NameKey() {
    }

    static String of(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
