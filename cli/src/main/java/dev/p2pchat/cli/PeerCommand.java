package dev.p2pchat.cli;

import dev.p2pchat.cli.files.InputHistoryFile;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.p2pchat.cli.files.PrivateFiles;
import dev.p2pchat.cli.render.ColorMode;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.cli.session.EventRelay;
import dev.p2pchat.cli.session.PasswordSource;
import dev.p2pchat.cli.session.ChatPeer;
import dev.p2pchat.cli.session.OfflineStart;
import dev.p2pchat.cli.session.PeerAdapter;
import dev.p2pchat.cli.session.UserError;
import dev.p2pchat.cli.ui.Hyperlinks;
import dev.p2pchat.cli.ui.InteractiveMode;
import dev.p2pchat.cli.ui.LineMode;
import dev.p2pchat.cli.ui.NotifyLevel;
import dev.p2pchat.peer.Peer;
import dev.p2pchat.peer.PeerConfig;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.protocol.Names;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code p2pchat peer}: the chat program. On a terminal it runs the interactive UI; with stdin from a
 * pipe or file (or {@code --line-mode}) it reads one command per line and prints one event per line.
 * This class reads the command line and the environment, builds one {@link ClientConfig}, points logging
 * at the data dir, starts the {@link Peer} and hands over to the UI; nothing below it reads either.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, version = "p2pchat 0.1.0",
        description = {"Chat: log in at the registry, join rooms and talk to other peers directly.",
                "On a terminal: an interactive chat (type /help). With input from a pipe: one command per line in, "
                        + "one event per line out, for scripts."},
        sortOptions = false, usageHelpAutoWidth = true)
public final class PeerCommand implements Callable<Integer> {

    @Option(names = "--registry", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7070", split = ",",
            converter = HostPort.Converter.class, description = "The registry to use (default: ${DEFAULT-VALUE}). "
                    + "Several (comma-separated or repeated) are the nodes of one registry cluster: the first that "
                    + "answers is used, and the session moves to the next when its node is lost.")
    List<HostPort> registry;

    @Option(names = "--registry-fingerprint", paramLabel = "HEX",
            description = "SHA-256 fingerprint of the registry's certificate, as the registry prints it. "
                    + "Without it the first certificate seen is trusted and pinned in the data dir.")
    String registryFingerprint;

    @Option(names = "--listen-host", paramLabel = "HOST",
            description = "Address this peer accepts other peers on (default: every interface, IPv4 and IPv6, "
                    + "or loopback when the registry is on loopback).")
    String listenHost;

    @Option(names = "--listen-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port for other peers (default: 0, any free port).")
    int listenPort;

    @Option(names = "--advertised-port", paramLabel = "PORT", defaultValue = "0", hidden = true,
            description = "Port other peers are told to connect to, when a port forward or proxy sits in front "
                    + "of --listen-port (default: 0, the listening port).")
    int advertisedPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Identity, pinned registry and contacts, chat history, input history and peer.log live here "
                    + "(default: ~/.p2pchat).")
    Path dataDir;

    @Option(names = "--user", paramLabel = "NAME", description = "Log in as NAME at start (needs --password-file).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the password for --user, and for /login or /register typed without one.")
    Path passwordFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings to use instead of <data-dir>/config.toml (read if it exists); flags override them.")
    Path configFile;

    @Option(names = "--no-color", description = "No colours or styles (also when NO_COLOR is set).")
    boolean noColor;

    @Option(names = "--hyperlinks", paramLabel = "WHEN", defaultValue = "auto", converter = HyperlinksConverter.class,
            description = "Make URLs clickable with OSC 8: auto (if the terminal is known to support it), always, never.")
    Hyperlinks hyperlinks;

    @Option(names = "--notify", paramLabel = "WHEN", defaultValue = "mentions", converter = NotifyConverter.class,
            description = "Ring the bell and send a desktop notification (where the terminal shows them) for: mentions "
                    + "(of your name, plus private messages and chat requests; the default), always (every message too), never.")
    NotifyLevel notify;

    @Option(names = "--timestamps", paramLabel = "PATTERN", defaultValue = "HH:mm",
            description = "How the time before each line looks, as a java.time pattern: HH:mm (the default), HH:mm:ss "
                    + "with seconds, h:mm a. Line mode always prints HH:mm:ss.")
    String timestamps;

    @Option(names = "--line-mode", description = "One command per input line, one event per output line, even on a terminal.")
    boolean lineMode;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long one request to the registry or a peer may take: 500ms, 10s, 2m, a bare number of "
                    + "seconds, or ISO-8601 such as PT10S (default: 10s).")
    Duration requestTimeout;

    @Option(names = "--delivery-window", paramLabel = "DURATION", converter = Durations.class,
            description = "How long an undelivered message is retried before it is reported failed, written like "
                    + "--request-timeout (default: 2m).")
    Duration deliveryWindow;

    @Option(names = "--registry-ping", paramLabel = "DURATION", converter = Durations.class,
            description = "Ping the registry over TLS when its connection has been silent this long while logged in, "
                    + "so that a connection a router dropped is noticed and replaced; keep it under the router's "
                    + "idle timeout, written like --request-timeout (default: 25s).")
    Duration registryPing;

    @Option(names = "--no-history", description = "Keep no chat history (<data-dir>/chat-history.db) in this run.")
    boolean noHistory;

    @Option(names = "--max-file-size", paramLabel = "SIZE", defaultValue = "2G",
            description = "Largest file /send offers and /get accepts: bytes, or with K, M, G (default: 2G).")
    String maxFileSize;

    @Option(names = "--file-rate-for-tests", paramLabel = "BYTES", defaultValue = "0", hidden = true,
            description = "Tests only: send files at most this many bytes per second.")
    long fileRateForTests;

    @Option(names = "--file-offer-name-for-tests", paramLabel = "NAME", hidden = true,
            description = "Tests only: offer every file under this name.")
    String fileOfferNameForTests;

    @Option(names = "--port-mapping-lifetime-for-tests", paramLabel = "DURATION", converter = Durations.class,
            hidden = true, description = "Tests only: ask the home router for port mappings of this lifetime.")
    Duration portMappingLifetimeForTests;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ClientConfig config = config(System.getenv(), Path.of(System.getProperty("user.home")));
        boolean interactive = !config.lineMode() && Tty.interactive();
        PrivateFiles.directory(config.dataDir());
        PeerLogging.configure(config.dataDir().resolve("peer.log"), !interactive);
        Optional<char[]> filePassword = config.passwordFile().isPresent() ? readPasswordFile(config.passwordFile())
                : runPasswordCommand(config.passwordCommand(), interactive);

        EventRelay events = new EventRelay();
        Clock clock = Clock.systemDefaultZone();
        Peer peer;
        try {
            peer = Peer.start(config.peer(), events);
        } catch (PeerException e) {
            if (!interactive || e.getMessage() != null && e.getMessage().startsWith("Cannot listen on")) {
                spec.commandLine().getErr().println("p2pchat peer: " + e.getMessage());
                return 1;
            }
            // The registry is down: chat offline and keep trying; the real peer takes over when it answers.
            // A fresh relay: the failed peer's own "closed" report is not news.
            EventRelay offlineEvents = new EventRelay();
            try (OfflineStart offline = new OfflineStart(listener -> Peer.start(config.peer(), listener), d -> Thread.sleep(d),
                    offlineEvents, config.peer().registryHost() + ":" + config.peer().registryPort()).retryAfter(e)) {
                return interactiveMode(config, offline, offlineEvents, filePassword, clock).loginWhen(offline.started())
                        .run(config.loginAs());
            }
        }
        try (peer) {
            peer.maxFileSize(fileSizeCap());
            if (fileRateForTests > 0 || fileOfferNameForTests != null) {
                peer.fileTestSettings(fileRateForTests, fileOfferNameForTests);
            }
            if (portMappingLifetimeForTests != null) {
                peer.portMappingLifetimeForTests(portMappingLifetimeForTests);
            }
            PeerAdapter chat = new PeerAdapter(peer);
            if (interactive) {
                return interactiveMode(config, chat, events, filePassword, clock).run(config.loginAs());
            }
            PasswordSource passwords = filePassword.<PasswordSource>map(p -> (name, newAccount) -> {
                // The file holds --user's password: using it for another account would be a silent guess.
                if (config.loginAs().isPresent() && !config.loginAs().get().equalsIgnoreCase(name)) {
                    throw new UserError("the --password-file is for " + config.loginAs().get() + ", not " + name
                            + " — give the password on the line: /login " + name + " PASSWORD");
                }
                return p.clone();
            }).orElseGet(PasswordSource::none);
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            Duration receiptWait = config.peer().deliveryWindow().plus(config.peer().requestTimeout());
            return new LineMode(chat, events, passwords, receiptWait, clock.getZone(), clock)
                    .startWith(config.autojoin(), config.ignore())
                    .settings(new Settings(config.settingsFile(), config.settings()))
                    .run(System.in, out, config.loginAs());
        }
    }

    private static InteractiveMode interactiveMode(ClientConfig config, ChatPeer chat, EventRelay events,
                                                   Optional<char[]> filePassword, Clock clock) {
        return new InteractiveMode(chat, events, Theme.of(config.colorMode(), config.settings().colors()), config.hyperlinks(),
                config.environment(), InputHistoryFile.in(config.dataDir()), filePassword, clock)
                .notifyOn(config.notifyLevel())
                .timestamps(config.timestamps()).startWith(config.autojoin(), config.ignore())
                .settings(new Settings(config.settingsFile(), config.settings()));
    }

    /** The one configuration record, from the options and the given environment; usage errors for bad combinations. */
    ClientConfig config(Map<String, String> environment, Path userHome) {
        Path dir = (dataDir != null ? dataDir : userHome.resolve(".p2pchat")).toAbsolutePath();
        ConfigFile file;
        try {
            file = configFile != null ? ConfigFile.read(configFile, true) : ConfigFile.read(dir.resolve("config.toml"), false);
        } catch (ConfigFile.Invalid e) {
            throw usage(e.getMessage());
        }
        // A flag given on the command line wins over the file; the file wins over a flag's default.
        List<HostPort> registryAddresses = registry;
        if (!given("--registry") && file.registry().isPresent()) {
            try {
                registryAddresses = new java.util.ArrayList<>();
                for (String one : file.registry().get().split(",")) {
                    registryAddresses.add(HostPort.parse(one.strip()));
                }
            } catch (IllegalArgumentException e) {
                throw usage("registry in the config file: " + e.getMessage());
            }
        }
        HostPort registryAddress = registryAddresses.getFirst();
        List<PeerConfig.RegistryAddress> fallbacks = registryAddresses.stream().skip(1)
                .map(a -> new PeerConfig.RegistryAddress(a.host(), a.port())).toList();
        String fingerprint = registryFingerprint != null ? registryFingerprint : file.registryFingerprint().orElse(null);
        String loginUser = user;
        Optional<String> passwordCommand = Optional.empty();
        if (user == null && file.user().isPresent()) {
            loginUser = file.user().get();
            // The file's password command is for the file's user; --password-file, if given, wins.
            passwordCommand = passwordFile == null ? file.passwordCommand() : Optional.empty();
        } else if (user != null && passwordFile == null && file.user().filter(user::equalsIgnoreCase).isPresent()) {
            passwordCommand = file.passwordCommand();
        }
        if (loginUser != null && Names.problemWithName("the user name", loginUser) != null) {
            throw usage(Names.problemWithName("the user name", loginUser));
        }
        if (loginUser != null && passwordFile == null && passwordCommand.isEmpty()) {
            throw usage(user != null ? "--user needs --password-file (the password is never given on the command line)"
                    : "the config file names user " + loginUser + " but no password_cmd (nor --password-file)");
        }
        NotifyLevel level = given("--notify") || file.notifyLevel().isEmpty() ? notify
                : new NotifyConverter().convert(file.notifyLevel().get());
        String timePattern = given("--timestamps") ? timestamps : file.timestamps().orElse(timestamps);
        PeerConfig peer;
        try {
            peer = new PeerConfig(registryAddress.host(), registryAddress.port(), blankToNull(fingerprint), listenHost,
                    listenPort, dir, requestTimeout, deliveryWindow).withAdvertisedPort(advertisedPort)
                    .withHistory(!noHistory).withRegistryPing(registryPing).withRegistryFallbacks(fallbacks);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return new ClientConfig(peer, ColorMode.from(noColor, environment.get("NO_COLOR")), hyperlinks, lineMode,
                Optional.ofNullable(loginUser), Optional.ofNullable(passwordFile), terminalEnvironment(environment),
                level == null ? NotifyLevel.MENTIONS : level, timestampPattern(timePattern), passwordCommand,
                file.autojoin(), file.ignore(), configFile != null ? configFile : dir.resolve("config.toml"), file);
    }

    /** Whether {@code option} was on the command line (not just its default). */
    private boolean given(String option) {
        CommandLine.ParseResult result = spec.commandLine().getParseResult();
        return result != null && result.hasMatchedOption(option);
    }

    /**
     * The password from the config file's {@code password_cmd}, run with {@code sh -c} (like senpai's
     * password-cmd): the first line it prints. It must exit 0 within a minute. On a terminal a password manager
     * may ask for its own passphrase, so stdin stays the user's; in line mode stdin is the script's commands,
     * which the password command must not eat, so it gets none.
     */
    private Optional<char[]> runPasswordCommand(Optional<String> command, boolean interactive) {
        if (command.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("sh", "-c", command.get())
                    .redirectInput(interactive ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw usage("password_cmd did not finish within a minute");
            }
            if (process.exitValue() != 0) {
                throw usage("password_cmd failed (exit " + process.exitValue() + ")");
            }
            String first = new String(out, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            java.util.Arrays.fill(out, (byte) 0);
            if (first.isEmpty()) {
                throw usage("password_cmd printed no password");
            }
            return Optional.of(first.toCharArray());
        } catch (IOException e) {
            throw usage("cannot run password_cmd: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw usage("interrupted while running password_cmd");
        }
    }

    private String timestampPattern(String given) {
        String pattern = given == null ? "HH:mm" : given;
        try {
            java.time.format.DateTimeFormatter.ofPattern(pattern).format(java.time.LocalDateTime.now());
            return pattern;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw usage("--timestamps: not a time pattern (" + e.getMessage() + "); for example HH:mm:ss");
        }
    }

    private static Map<String, String> terminalEnvironment(Map<String, String> environment) {
        List<String> keys = List.of("TERM", "TERM_PROGRAM", "VTE_VERSION", "WT_SESSION", "KITTY_WINDOW_ID",
                "KONSOLE_VERSION", "ALACRITTY_WINDOW_ID", "TMUX", "ConEmuPID");
        return keys.stream().filter(environment::containsKey)
                .collect(java.util.stream.Collectors.toUnmodifiableMap(k -> k, environment::get));
    }

    private Optional<char[]> readPasswordFile(Optional<Path> file) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.getFirst().isEmpty()) {
                throw usage("the password file " + file.get() + " is empty");
            }
            return Optional.of(lines.getFirst().toCharArray());
        } catch (IOException e) {
            throw usage("cannot read the password file " + file.get() + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static final class NotifyConverter implements CommandLine.ITypeConverter<NotifyLevel> {
        @Override
        public NotifyLevel convert(String value) {
            try {
                return NotifyLevel.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected always, mentions or never, not \"" + value + "\"");
            }
        }
    }

    static final class HyperlinksConverter implements CommandLine.ITypeConverter<Hyperlinks> {
        @Override
        public Hyperlinks convert(String value) {
            try {
                return Hyperlinks.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected auto, always or never, not \"" + value + "\"");
            }
        }
    }

    private long fileSizeCap() {
        try {
            return dev.p2pchat.peer.files.Sizes.parse(maxFileSize == null ? "2G" : maxFileSize);
        } catch (IllegalArgumentException e) {
            throw usage("--max-file-size: " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
