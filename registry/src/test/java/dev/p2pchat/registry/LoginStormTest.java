package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Argon2Params;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginStormTest {
    /** Hundreds of ms per hash, so that logins sent together overlap in the Argon2 queue. */
    static final Argon2Params SLOW = new Argon2Params(64 * 1024, 4, 1);

    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void loginsBeyondTheArgon2QueueBoundAreAnsweredBusy() {
        registry = RunningRegistry.start(dataDir, b -> b.argon2(SLOW).argon2Concurrency(1).argon2MaxQueued(0));
        List<RegistryTestClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RegistryTestClient client = registry.client();
            assertThat(client.register("user" + i, "pw").status()).isEqualTo(Status.SUCCESS);
            clients.add(client);
        }

        List<CompletableFuture<Message>> answers = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            RegistryTestClient client = clients.get(i);
            RegistryRequest.Login login = new RegistryRequest.Login("user" + i, RegistryTestClient.digest("pw"),
                    RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT);
            answers.add(CompletableFuture.supplyAsync(() -> RegistryTestClient.decode(client.exchange(login))));
        }

        List<Message> replies = answers.stream().map(CompletableFuture::join).toList();
        assertThat(replies).filteredOn(RegistryReply.Auth.class::isInstance)
                .extracting(m -> ((RegistryReply.Auth) m).status()).contains(Status.SUCCESS);
        assertThat(replies).filteredOn(ErrorReply.class::isInstance).isNotEmpty().allSatisfy(m -> {
            assertThat(((ErrorReply) m).status()).isEqualTo(Status.FULL);
            assertThat(((ErrorReply) m).reason()).isEqualTo("registry busy, retry");
        });
        assertThat(registry.server().stats().service().argon2RefusedBusy()).isPositive();
    }

    @Test
    void aRefusedClientMayRetryOnTheSameConnection() {
        registry = RunningRegistry.start(dataDir, b -> b.argon2(SLOW).argon2Concurrency(1).argon2MaxQueued(0));
        RegistryTestClient client = registry.client();

        client.registerAndLogin("alice");

        assertThat(client.search("alice").status()).isEqualTo(Status.SUCCESS);
    }
}
