package dev.p2pchat.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file a launcher waits for: written once the registry listens, in one atomic rename, so a reader never sees
 * half of it. {@code {"tcp_port":7070,"udp_port":7070,"fingerprint":"<hex>"}}.
 */
final class ReadyFile {
    private ReadyFile() {
    }

    static String json(int tcpPort, int udpPort, String fingerprint) {
        return "{\"tcp_port\":" + tcpPort + ",\"udp_port\":" + udpPort + ",\"fingerprint\":\"" + fingerprint + "\"}\n";
    }

    static void write(Path file, int tcpPort, int udpPort, String fingerprint) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, json(tcpPort, udpPort, fingerprint), StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
