package dev.p2pchat.registry.net;

import java.io.IOException;
import java.net.Socket;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.p2pchat.security.EngineSocket;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.Tls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

/**
 * The TLS engine behind the registry's connections. BoringSSL (netty-tcnative) takes half the JDK's server CPU per
 * handshake (docs/BENCHMARKS.md, run Q: 2.14x), so it is the default; the JDK's engine is the fallback where the
 * native library cannot load (another OS or architecture, a noexec temp dir) and a choice ({@code --tls-engine jdk}).
 * Either way a connection is an {@link EngineSocket}: one record buffer while a record is read, none while idle.
 */
public final class TlsEngine {

    /** What {@code --tls-engine} names. */
    public enum Choice {
        /** BoringSSL when it loads, else the JDK's engine (logged once). */
        AUTO,
        BORINGSSL,
        JDK;

        public static Choice parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--tls-engine is auto, boringssl or jdk, not " + text);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);

    private final String name;
    private final SSLContext jdk;
    private final SslContext boringSsl;

    private TlsEngine(String name, SSLContext jdk, SslContext boringSsl) {
        this.name = name;
        this.jdk = jdk;
        this.boringSsl = boringSsl;
    }

    /** The engine {@code choice} asks for, serving {@code identity}; BORINGSSL fails where it cannot load. */
    public static TlsEngine serving(Identity identity, Choice choice) throws SSLException {
        if (choice != Choice.JDK) {
            if (OpenSsl.isAvailable()) {
                SslContext context = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                        .sslProvider(SslProvider.OPENSSL_REFCNT).protocols(Tls.PROTOCOL).build();
                return new TlsEngine(OpenSsl.versionString(), null, context);
            }
            if (choice == Choice.BORINGSSL) {
                throw new SSLException("BoringSSL (netty-tcnative) cannot load here: " + OpenSsl.unavailabilityCause());
            }
            LOG.info("BoringSSL (netty-tcnative) cannot load here ({}); using the JDK's TLS engine",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return new TlsEngine("the JDK's TLS engine", Tls.server(identity), null);
    }

    /** A server-side TLS socket over an accepted connection; its handshake runs on first use. */
    public SSLSocket accept(Socket plain) throws IOException {
        SSLEngine engine;
        Runnable release;
        if (boringSsl != null) {
            SSLEngine made = boringSsl.newEngine(ByteBufAllocator.DEFAULT);
            engine = made;
            release = () -> ReferenceCountUtil.release(made);
        } else {
            engine = jdk.createSSLEngine();
            engine.setUseClientMode(false);
            release = () -> { };
        }
        Tls.restrict(engine);
        return new EngineSocket(plain, engine, release);
    }

    /** "BoringSSL" or "the JDK's TLS engine": for the start-up line. */
    public String describe() {
        return name;
    }
}
