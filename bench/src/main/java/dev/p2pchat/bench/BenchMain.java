package dev.p2pchat.bench;

import picocli.CommandLine;

/** Entry point of bench worker processes (and of {@code bench} where the app's Main is not on the class path). */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
