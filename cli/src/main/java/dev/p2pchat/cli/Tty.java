package dev.p2pchat.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the process talks to a person at a terminal, or to a pipe or file. */
final class Tty {

    private Tty() {}

    /**
     * True when stdin and stdout are a terminal. Before JDK 22 {@link System#console()} is null otherwise;
     * from JDK 22 it may exist anyway, and {@code Console.isTerminal()} (called reflectively, as this code
     * targets Java 21) tells.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
