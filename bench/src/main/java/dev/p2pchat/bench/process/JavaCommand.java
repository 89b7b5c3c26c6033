package dev.p2pchat.bench.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs (registry, load workers) that run this very build: the same {@code java} binary
 * and the same class path as the bench process, so a child never runs other code than the one measured.
 */
public final class JavaCommand {
    private JavaCommand() {
    }

    public static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    public static Path tool(String name) {
        return javaHome().resolve("bin").resolve(name);
    }

    public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(tool("java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+ExitOnOutOfMemoryError"); // as the launcher: no zombie process after an OOM
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** True when {@code className} is on this process's class path. */
    public static boolean present(String className) {
        try {
            Class.forName(className, false, JavaCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
