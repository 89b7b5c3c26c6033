package dev.p2pchat.peer;

import dev.p2pchat.peer.files.FileNames;
import dev.p2pchat.peer.files.FileNotice;
import dev.p2pchat.peer.files.Progress;
import dev.p2pchat.peer.files.SendWindow;
import dev.p2pchat.peer.files.Sizes;
import dev.p2pchat.peer.files.TransferStore;
import dev.p2pchat.peer.files.TransferStore.Incoming;
import dev.p2pchat.peer.files.TransferStore.Outgoing;
import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.FileReply;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.PeerRequest.FileRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files sent peer to peer over the users' mutual-TLS link, both sides of it (PROTOCOL.md, "Files"): this user's
 * offers and the streams that serve them, and the offers made to this user with the partial files they are
 * written to. The bytes go as FILE_CHUNKs of {@value Limits#MAX_FILE_CHUNK_BYTES} bytes, at most {@link #WINDOW}
 * unanswered, so a transfer holds at most that much in the link's writer queue and a chat message on the same
 * link waits behind no more. An incoming file is written to {@code .NAME.part} (0600) and moved to its sanitised
 * name only once its SHA-256 is the offered one. Both sides keep what a resume needs in the data dir
 * ({@link TransferStore}), so either may restart; the receiver asks again from the bytes it holds.
 *
 * <p>State lives in this object's maps under its monitor; each incoming transfer's file is owned by its
 * {@link Receiving} (its monitor), each outgoing stream by its {@link Streamer} thread. Nothing is sent while a
 * lock is held. Never logs file contents.
 */
final class FileTransfers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTransfers.class);
    /** 2 GiB, the default for {@code --max-file-size}. */
    static final long DEFAULT_MAX_FILE_SIZE = 2L << 30;
    /** Chunks a receiver lets a sender have unanswered: 8 x 32 KiB = 256 KiB in flight, a quarter of the queue. */
    static final int WINDOW = 8;
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    /** Offers received and not yet answered, in all; more are answered 429. */
    static final int MAX_PENDING_OFFERS = 32;
    /** How often an interrupted incoming transfer is asked for again by itself before the user must /get. */
    static final int AUTO_RESUMES = 5;

    /**
     * What the user set: the size cap, and two settings only tests use: a rate the sender keeps to (bytes per
     * second, 0: as fast as the link goes) and a name every offer carries instead of the file's.
     */
    record Settings(long maxFileSize, long bytesPerSecond, String offerName) {
        static final Settings DEFAULT = new Settings(DEFAULT_MAX_FILE_SIZE, 0, null);

        Settings {
            if (maxFileSize < 0 || bytesPerSecond < 0) {
                throw new IllegalArgumentException("sizes and rates must not be negative");
            }
        }
    }

    private final PeerStatus status;
    private final Chats chats;
    private final UserSearch users;
    private final Links links;
    private final EventDispatcher events;
    private final ScheduledExecutorService timer;
    private final Duration requestTimeout;
    private final Duration offerExpiry;
    private final TransferStore store;
    private final Path downloads;
    private final Clock clock;
    private volatile Settings settings = Settings.DEFAULT;

    // Guarded by this.
    private final Map<String, Pending> offers = new LinkedHashMap<>();
    private final Map<String, Receiving> receiving = new LinkedHashMap<>();
    private final Map<String, Streamer> sending = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> offeredExpiry = new LinkedHashMap<>();
    private boolean closed;

    private record Pending(FileRequest.Offer offer, ScheduledFuture<?> expiry) {}

    FileTransfers(PeerStatus status, Chats chats, UserSearch users, Links links, EventDispatcher events,
                  ScheduledExecutorService timer, Duration requestTimeout, Duration offerExpiry, Path dataDir,
                  Clock clock) {
        this.status = status;
        this.chats = chats;
        this.users = users;
        this.links = links;
        this.events = events;
        this.timer = timer;
        this.requestTimeout = requestTimeout;
        this.offerExpiry = offerExpiry;
        this.store = new TransferStore(dataDir);
        this.downloads = dataDir.resolve("downloads");
        this.clock = clock;
    }

    void settings(Settings newSettings) {
        this.settings = Objects.requireNonNull(newSettings, "settings");
    }

    Settings settings() {
        return settings;
    }

    Path downloads() {
        return downloads;
    }

    private void notice(FileNotice notice) {
        events.emit(new PeerEvent.FileTransfer(notice));
    }

    // ---------------------------------------------------------------- this user's offers

    /** Offers {@code file} to {@code to} in their open chat; returns once they were shown the offer. */
    void offer(String to, Path file) throws PeerException {
        String me = status.requireLogin();
        UserInput.checkName("username", to);
        if (!chats.isOpen(to)) {
            throw new PeerException("Files go in a private chat: /chat " + to + " first.");
        }
        Path path = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new PeerException("There is no file " + file + ".");
        }
        if (!Files.isReadable(path)) {
            throw new PeerException("Cannot read " + file + ".");
        }
        long size;
        long modified;
        String sha256;
        try {
            size = Files.size(path);
            long max = settings.maxFileSize();
            if (size > max) {
                throw new PeerException(path.getFileName() + " is " + Sizes.human(size) + ", more than --max-file-size ("
                        + Sizes.human(max) + "); not offered.");
            }
            modified = Files.getLastModifiedTime(path).toMillis();
            sha256 = sha256(path, Long.MAX_VALUE);
        } catch (IOException e) {
            throw new PeerException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = settings.offerName() != null ? settings.offerName() : offeredName(path);
        String id = UUID.randomUUID().toString();
        Outgoing outgoing = new Outgoing(id, me, to, path, name, size, sha256, modified, clock.millis(), false);
        FileRequest.Offer offer = new FileRequest.Offer(id, me, to, name, size, sha256);
        try {
            store.save(outgoing);
        } catch (IOException e) {
            throw new PeerException("Cannot record the offer in the data directory: " + e.getMessage(), e);
        }
        PeerReply reply;
        try {
            reply = call(users.find(to), offer);
        } catch (PeerException e) {
            store.forgetOutgoing(id);
            throw e;
        }
        if (reply instanceof FileReply.OfferResponse ok && ok.status().isSuccess()) {
            expireOffer(outgoing);
            notice(new FileNotice.OfferSent(to, name, size, sha256));
            return;
        }
        store.forgetOutgoing(id);
        throw new PeerException(to + " refused " + name + ": " + reasonOf(reply));
    }

    /** The file's own name as an offer may carry it (one line, at most 255 bytes). */
    private static String offeredName(Path path) {
        String name = path.getFileName().toString();
        if (name.chars().anyMatch(Character::isISOControl)
                || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Limits.MAX_FILE_NAME_BYTES) {
            return FileNames.sanitise(name);
        }
        return name;
    }

    /** An offer nobody asked for within the expiry is forgotten; one asked for stays until done. */
    private void expireOffer(Outgoing outgoing) {
        try {
            ScheduledFuture<?> f = timer.schedule(() -> {
                synchronized (this) {
                    offeredExpiry.remove(outgoing.id());
                }
                store.outgoing(outgoing.id()).filter(o -> !o.requested()).ifPresent(o -> {
                    store.forgetOutgoing(o.id());
                    notice(new FileNotice.Declined(o.to(), o.name(), false, "not taken within "
                            + Deliveries.describe(offerExpiry) + "; the offer expired"));
                });
            }, offerExpiry.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                offeredExpiry.put(outgoing.id(), f);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("Not expiring offer {}: shutting down", outgoing.id());
        }
    }

    private CompletableFuture<PeerReply> onGet(FileRequest.Get get) {
        String me = status.username();
        Outgoing o = store.outgoing(get.transferId()).orElse(null);
        if (me == null || o == null || !o.from().equals(me) || !o.to().equals(get.senderUsername())) {
            return done(new ErrorReply(Status.NOT_FOUND, "no such file offer"));
        }
        if (get.offset() > o.size()) {
            return done(new ErrorReply(Status.BAD_REQUEST, "offset beyond the file's " + o.size() + " bytes"));
        }
        if (!unchanged(o)) {
            forgetOutgoing(o.id());
            notice(new FileNotice.Failed(o.to(), o.name(), false, o.file() + " changed since you offered it; "
                    + "offer it again"));
            return done(new ErrorReply(Status.FILE_CHANGED, o.name() + " changed since it was offered"));
        }
        Outgoing requested = o.asRequested();
        try {
            store.save(requested);
        } catch (IOException e) {
            LOG.warn("Cannot record that offer {} was taken: {}", o.id(), e.toString());
        }
        Streamer streamer = new Streamer(requested, get.offset(), Math.min(get.window(), Limits.MAX_FILE_WINDOW));
        Streamer old;
        synchronized (this) {
            if (closed) {
                return done(new ErrorReply(LinkAdmission.UNAVAILABLE, "shutting down"));
            }
            ScheduledFuture<?> expiry = offeredExpiry.remove(o.id());
            if (expiry != null) {
                expiry.cancel(false);
            }
            old = sending.put(o.id(), streamer);
        }
        if (old != null) {
            old.cancel(); // the receiver asked again (it restarted, or the link broke): this run replaces that one
        }
        notice(new FileNotice.Started(o.to(), o.name(), false, get.offset(), o.size()));
        Thread.ofVirtual().name("file-send-" + o.id()).start(streamer);
        return done(new FileReply.GetResponse(Status.SUCCESS, o.id()));
    }

    /** The file is the one offered: same size and modification time (hashing it again would cost a full read). */
    private static boolean unchanged(Outgoing o) {
        try {
            return Files.size(o.file()) == o.size() && Files.getLastModifiedTime(o.file()).toMillis() == o.modifiedMillis();
        } catch (IOException e) {
            return false;
        }
    }

    private CompletableFuture<PeerReply> onDecline(FileRequest.Decline decline) {
        Outgoing o = store.outgoing(decline.transferId()).orElse(null);
        if (o != null && o.to().equals(decline.senderUsername())) {
            forgetOutgoing(o.id());
            notice(new FileNotice.Declined(o.to(), o.name(), false, decline.reason() == null ? "declined"
                    : decline.reason()));
        }
        return done(new FileReply.DeclineResponse(Status.SUCCESS, decline.transferId()));
    }

    private void forgetOutgoing(String id) {
        Streamer streamer;
        ScheduledFuture<?> expiry;
        synchronized (this) {
            streamer = sending.remove(id);
            expiry = offeredExpiry.remove(id);
        }
        if (streamer != null) {
            streamer.cancel();
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        store.forgetOutgoing(id);
    }

    /**
     * One run of an outgoing transfer, from the offset the receiver asked for: reads the file chunk by chunk and
     * sends each as soon as the window has credit; the receiver's answers give credit back and report progress.
     */
    private final class Streamer implements Runnable {
        private final Outgoing o;
        private final long offset;
        private final SendWindow window;
        private final AtomicLong acked;
        private final AtomicReference<String> failure = new AtomicReference<>();
        private volatile boolean fatal;
        private volatile boolean cancelled;
        private volatile boolean complete;

        Streamer(Outgoing o, long offset, int window) {
            this.o = o;
            this.offset = offset;
            this.window = new SendWindow(window);
            this.acked = new AtomicLong(offset);
        }

        void cancel() {
            cancelled = true;
            window.close();
        }

        @Override
        public void run() {
            Duration answerWait = requestTimeout.multipliedBy(2);
            Progress.Meter meter = new Progress.Meter(o.size(), offset, PROGRESS_EVERY, System.nanoTime());
            long started = System.nanoTime();
            try (FileChannel file = FileChannel.open(o.file(), StandardOpenOption.READ)) {
                PeerInfo target = users.find(o.to());
                byte[] buf = new byte[Limits.MAX_FILE_CHUNK_BYTES];
                long pos = offset;
                do {
                    if (cancelled || failure.get() != null) {
                        break;
                    }
                    if (!window.acquire(answerWait)) {
                        failure.compareAndSet(null, cancelled ? "cancelled" : "no answer from " + o.to() + " within "
                                + Deliveries.describe(answerWait));
                        break;
                    }
                    int want = (int) Math.min(buf.length, o.size() - pos);
                    int n = read(file, buf, pos, want);
                    if (n < want) {
                        window.release();
                        fatal = true;
                        failure.compareAndSet(null, o.file() + " got shorter while it was being sent");
                        break;
                    }
                    keepRate(pos + n - offset, started);
                    long end = pos + n;
                    FileRequest.Chunk chunk = FileRequest.Chunk.of(o.id(), o.from(), pos, buf, n);
                    CompletableFuture<PeerReply> answer;
                    try {
                        answer = links.send(target, chunk, callId());
                    } catch (IOException e) {
                        window.release();
                        failure.compareAndSet(null, Failures.rootMessage(e));
                        break;
                    }
                    answer.whenComplete((reply, error) -> {
                        answered(reply, error, meter);
                        window.release();
                    });
                    pos = end;
                } while (pos < o.size());
                window.awaitEmpty(answerWait);
            } catch (PeerException | IOException e) {
                failure.compareAndSet(null, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, "interrupted");
            } finally {
                finish();
            }
        }

        private void answered(PeerReply reply, Throwable error, Progress.Meter meter) {
            if (reply instanceof FileReply.ChunkResponse ok && ok.status().isSuccess()) {
                long now = acked.accumulateAndGet(ok.received(), Math::max);
                if (now >= o.size()) {
                    complete = true;
                } else {
                    Progress p = meter.update(now, System.nanoTime());
                    if (p != null && !cancelled) {
                        notice(new FileNotice.Moved(o.to(), o.name(), false, p));
                    }
                }
                return;
            }
            if (reply instanceof ErrorReply e && (e.status().equals(Status.HASH_MISMATCH)
                    || e.status().equals(Status.NOT_FOUND))) {
                fatal = true;
            }
            failure.compareAndSet(null, error != null ? Failures.rootMessage(error) : reasonOf(reply));
        }

        private void finish() {
            boolean mine;
            synchronized (FileTransfers.this) {
                mine = sending.get(o.id()) == this;
                if (mine && (complete || fatal)) {
                    sending.remove(o.id());
                }
            }
            if (!mine || cancelled) {
                return; // replaced by a newer run, declined or shut down: that one reports
            }
            if (complete) {
                store.forgetOutgoing(o.id());
                notice(new FileNotice.Sent(o.to(), o.name(), o.file(), o.sha256()));
            } else if (fatal) {
                store.forgetOutgoing(o.id());
                notice(new FileNotice.Failed(o.to(), o.name(), false, failure.get()));
            } else {
                synchronized (FileTransfers.this) {
                    sending.remove(o.id(), this);
                }
                notice(new FileNotice.Interrupted(o.to(), o.name(), false, acked.get(), o.size(),
                        String.valueOf(failure.get())));
            }
        }

        /** The test-only rate: sleeps until {@code sent} bytes are due at that rate since {@code started}. */
        private void keepRate(long sent, long started) {
            long rate = settings.bytesPerSecond();
            if (rate <= 0) {
                return;
            }
            long due = started + (long) (sent * 1e9 / rate);
            long wait;
            while (!cancelled && (wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static int read(FileChannel file, byte[] buf, long pos, int want) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, want);
        while (b.hasRemaining()) {
            int n = file.read(b, pos + b.position());
            if (n < 0) {
                break;
            }
        }
        return b.position();
    }

    // ---------------------------------------------------------------- offers to this user

    private CompletableFuture<PeerReply> onOffer(FileRequest.Offer offer) {
        String me = status.username();
        if (me == null || !offer.recipientUsername().equals(me)) {
            return done(new ErrorReply(Status.BAD_REQUEST, "wrong recipient"));
        }
        long max = settings.maxFileSize();
        if (offer.size() > max) {
            notice(new FileNotice.Declined(offer.senderUsername(), offer.fileName(), true, "it is "
                    + Sizes.human(offer.size()) + ", more than your --max-file-size (" + Sizes.human(max) + ")"));
            return done(new ErrorReply(Status.TOO_LARGE, me + " takes files up to " + Sizes.human(max) + " and this one is "
                    + Sizes.human(offer.size())));
        }
        synchronized (this) {
            if (offers.containsKey(offer.transferId()) || receiving.containsKey(offer.transferId())) {
                return done(new FileReply.OfferResponse(Status.SUCCESS, offer.transferId()));
            }
            if (offers.size() >= MAX_PENDING_OFFERS) {
                return done(new ErrorReply(Status.RATE_LIMITED, me + " has too many file offers waiting; try later"));
            }
            ScheduledFuture<?> expiry;
            try {
                expiry = timer.schedule(() -> expired(offer), offerExpiry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return done(new ErrorReply(LinkAdmission.UNAVAILABLE, "shutting down"));
            }
            offers.put(offer.transferId(), new Pending(offer, expiry));
        }
        notice(new FileNotice.Offered(offer.senderUsername(), offer.fileName(), offer.size(), offer.sha256(),
                offerExpiry));
        return done(new FileReply.OfferResponse(Status.SUCCESS, offer.transferId()));
    }

    private void expired(FileRequest.Offer offer) {
        Pending p;
        synchronized (this) {
            p = offers.remove(offer.transferId());
        }
        if (p == null) {
            return;
        }
        notice(new FileNotice.Declined(offer.senderUsername(), offer.fileName(), true, "not taken within "
                + Deliveries.describe(offerExpiry) + "; the offer expired"));
        tell(offer.senderUsername(), new FileRequest.Decline(offer.transferId(), offer.recipientUsername(), "expired"));
    }

    /**
     * Takes {@code from}'s oldest offer (or resumes their interrupted transfer) into {@code dir} (null: the
     * download dir, created 0700): checks the free space, creates the partial file and asks for the bytes.
     */
    void get(String from, Path dir) throws PeerException {
        String me = status.requireLogin();
        UserInput.checkName("username", from);
        Receiving r;
        Pending p = null;
        synchronized (this) {
            // One still marked active is asked again too: after a broken link its chunks stopped coming unseen.
            r = receiving.values().stream().filter(x -> x.in.from().equals(from) && x.in.to().equals(me))
                    .findFirst().orElse(null);
            if (r == null) {
                p = offers.values().stream().filter(x -> x.offer().senderUsername().equals(from)).findFirst()
                        .orElse(null);
                if (p != null) {
                    offers.remove(p.offer().transferId());
                    p.expiry().cancel(false);
                }
            }
        }
        if (r == null && p == null) {
            throw new PeerException(from + " has offered you no file.");
        }
        if (r == null) {
            try {
                r = accept(p.offer(), dir);
            } catch (PeerException e) {
                synchronized (this) {
                    offers.putIfAbsent(p.offer().transferId(), p); // still there to /get elsewhere or /decline
                }
                throw e;
            }
        }
        ask(r);
    }

    private Receiving accept(FileRequest.Offer offer, Path chosen) throws PeerException {
        Path dir = chosen == null ? downloads : chosen.toAbsolutePath().normalize();
        try {
            TransferStore.createPrivate(dir);
        } catch (IOException e) {
            throw new PeerException("Cannot create " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new PeerException("Cannot write to " + dir + ".");
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < offer.size()) {
                throw new PeerException(offer.fileName() + " needs " + Sizes.human(offer.size()) + " but " + dir
                        + " has " + Sizes.human(free) + " free; /get " + offer.senderUsername() + " DIR elsewhere or /decline "
                        + offer.senderUsername());
            }
        } catch (IOException e) {
            throw new PeerException("Cannot check the free space in " + dir + ": " + e.getMessage(), e);
        }
        String safe = FileNames.sanitise(offer.fileName());
        Path part = dir.resolve("." + safe + ".part");
        try {
            try {
                TransferStore.createPrivateFile(part);
            } catch (FileAlreadyExistsException e) {
                part = dir.resolve("." + safe + "." + offer.transferId() + ".part");
                TransferStore.createPrivateFile(part);
            }
        } catch (IOException e) {
            throw new PeerException("Cannot create " + part + ": " + e.getMessage(), e);
        }
        Incoming in = new Incoming(offer.transferId(), offer.senderUsername(), offer.recipientUsername(),
                offer.fileName(), offer.size(), offer.sha256(), dir, part);
        try {
            store.save(in);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new PeerException("Cannot record the transfer in the data directory: " + e.getMessage(), e);
        }
        Receiving r = new Receiving(in);
        synchronized (this) {
            receiving.put(in.id(), r);
        }
        return r;
    }

    /** FILE_GET from the bytes {@code r} holds; chunks are accepted from the moment it goes out. */
    private void ask(Receiving r) throws PeerException {
        long have;
        try {
            have = r.open();
        } catch (IOException e) {
            throw new PeerException("Cannot open " + r.in.part() + ": " + e.getMessage(), e);
        }
        PeerReply reply;
        try {
            reply = call(users.find(r.in.from()), new FileRequest.Get(r.in.id(), r.in.to(), have, WINDOW));
        } catch (PeerException e) {
            r.pause();
            throw new PeerException(e.getMessage() + " — " + r.in.name() + " waits: /get " + r.in.from()
                    + " to resume", e);
        }
        if (reply instanceof FileReply.GetResponse ok && ok.status().isSuccess()) {
            notice(new FileNotice.Started(r.in.from(), r.in.name(), true, have, r.in.size()));
            return;
        }
        if (reply instanceof ErrorReply e && (e.status().equals(Status.NOT_FOUND)
                || e.status().equals(Status.FILE_CHANGED) || e.status().equals(Status.BAD_REQUEST))) {
            drop(r);
            throw new PeerException(r.in.from() + " cannot send " + r.in.name() + " any more: " + e.reason());
        }
        r.pause();
        throw new PeerException(r.in.from() + " did not send " + r.in.name() + ": " + reasonOf(reply) + " — /get "
                + r.in.from() + " to try again");
    }

    /** Declines {@code from}'s oldest offer (or gives up their interrupted transfer); {@code from} is told. */
    void decline(String from) throws PeerException {
        String me = status.requireLogin();
        UserInput.checkName("username", from);
        Pending p;
        Receiving r = null;
        synchronized (this) {
            p = offers.values().stream().filter(x -> x.offer().senderUsername().equals(from)).findFirst().orElse(null);
            if (p != null) {
                offers.remove(p.offer().transferId());
                p.expiry().cancel(false);
            } else {
                r = receiving.values().stream().filter(x -> x.in.from().equals(from) && x.in.to().equals(me))
                        .findFirst().orElse(null);
            }
        }
        if (p == null && r == null) {
            throw new PeerException(from + " has offered you no file.");
        }
        String id = p != null ? p.offer().transferId() : r.in.id();
        String name = p != null ? p.offer().fileName() : r.in.name();
        if (r != null) {
            drop(r);
        }
        notice(new FileNotice.Declined(from, name, true, "you declined it"));
        tell(from, new FileRequest.Decline(id, me, "declined"));
    }

    private CompletableFuture<PeerReply> onChunk(FileRequest.Chunk chunk) {
        Receiving r;
        synchronized (this) {
            r = receiving.get(chunk.transferId());
        }
        if (r == null || !r.in.from().equals(chunk.senderUsername())) {
            return done(new ErrorReply(Status.NOT_FOUND, "no such transfer"));
        }
        return done(r.write(chunk));
    }

    /** The transfers this user accepted before a restart: resumed by themselves, in the background. */
    void loggedIn() {
        String me = status.username();
        List<Receiving> resumable = new ArrayList<>();
        synchronized (this) {
            for (Incoming in : store.incoming()) {
                if (in.to().equals(me) && !receiving.containsKey(in.id())) {
                    receiving.put(in.id(), new Receiving(in));
                }
            }
            receiving.values().stream().filter(r -> r.in.to().equals(me) && !r.active()).forEach(resumable::add);
        }
        if (!resumable.isEmpty()) {
            Thread.ofVirtual().name("file-resume").start(() -> resumable.forEach(this::resumeQuietly));
        }
    }

    /** Asks for the rest of {@code r} by itself; says how to resume by hand when that fails. */
    private void resumeQuietly(Receiving r) {
        try {
            ask(r);
        } catch (PeerException e) {
            notice(new FileNotice.Interrupted(r.in.from(), r.in.name(), true, r.held(), r.in.size(), e.getMessage()));
        }
    }

    /** Forgets an incoming transfer and deletes what it received. */
    private void drop(Receiving r) {
        synchronized (this) {
            receiving.remove(r.in.id());
        }
        r.close();
        deleteQuietly(r.in.part());
        store.forgetIncoming(r.in.id());
    }

    /**
     * One accepted incoming file: the partial file, the digest of what it holds, and whether chunks are
     * expected. Chunks arrive in order on the link's reader thread; the user's thread opens and pauses it.
     */
    private final class Receiving {
        final Incoming in;
        private FileChannel file;
        private MessageDigest digest;
        private long held;
        private boolean active;
        private Progress.Meter meter;

        Receiving(Incoming in) {
            this.in = in;
        }

        synchronized boolean active() {
            return active;
        }

        synchronized long held() {
            if (file == null) {
                try {
                    return Files.exists(in.part()) ? Math.min(Files.size(in.part()), in.size()) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }
            return held;
        }

        /** Opens the partial file (recreated when it went missing) and hashes what it holds; returns that count. */
        synchronized long open() throws IOException {
            closeFile();
            if (!Files.exists(in.part())) {
                TransferStore.createPrivateFile(in.part());
            }
            file = FileChannel.open(in.part(), StandardOpenOption.WRITE, StandardOpenOption.READ);
            long size = file.size();
            if (size > in.size()) {
                file.truncate(0);
                size = 0;
            }
            digest = newDigest();
            try (InputStream prefix = Files.newInputStream(in.part())) {
                byte[] buf = new byte[64 * 1024];
                long left = size;
                while (left > 0) {
                    int n = prefix.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    digest.update(buf, 0, n);
                    left -= n;
                }
            }
            held = size;
            active = true;
            meter = new Progress.Meter(in.size(), held, PROGRESS_EVERY, System.nanoTime());
            return held;
        }

        synchronized void pause() {
            active = false;
            closeFile();
        }

        synchronized void close() {
            active = false;
            closeFile();
        }

        private void closeFile() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.debug("Closing {} failed: {}", in.part(), e.toString());
                }
                file = null;
            }
        }

        synchronized PeerReply write(FileRequest.Chunk chunk) {
            if (!active || file == null) {
                return new ErrorReply(Status.WRONG_STATE, "not receiving this file now; ask again with FILE_GET");
            }
            if (chunk.offset() != held) {
                return new ErrorReply(Status.WRONG_STATE, "expected the chunk at offset " + held);
            }
            byte[] bytes = chunk.bytes();
            if (held + bytes.length > in.size()) {
                pause();
                return new ErrorReply(Status.BAD_REQUEST, "the chunk goes beyond the offered " + in.size() + " bytes");
            }
            try {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    file.write(b, held + b.position());
                }
            } catch (IOException e) {
                pause();
                notice(new FileNotice.Interrupted(in.from(), in.name(), true, held, in.size(),
                        "cannot write " + in.part() + ": " + e.getMessage()));
                return new ErrorReply(Status.SERVER_ERROR, "the receiver cannot write the file");
            }
            digest.update(bytes);
            held += bytes.length;
            if (held < in.size()) {
                Progress p = meter.update(held, System.nanoTime());
                if (p != null) {
                    notice(new FileNotice.Moved(in.from(), in.name(), true, p));
                }
                return new FileReply.ChunkResponse(Status.SUCCESS, in.id(), held);
            }
            return complete();
        }

        /** The last byte came: in place under a free name if the SHA-256 is right, deleted if not. */
        private PeerReply complete() {
            closeFile();
            active = false;
            String got = HexFormat.of().formatHex(digest.digest());
            synchronized (FileTransfers.this) {
                receiving.remove(in.id());
            }
            store.forgetIncoming(in.id());
            if (!got.equals(in.sha256())) {
                deleteQuietly(in.part());
                notice(new FileNotice.Failed(in.from(), in.name(), true, "what arrived has SHA-256 " + got
                        + ", not the offered " + in.sha256() + "; it was deleted"));
                return new ErrorReply(Status.HASH_MISMATCH, "the received bytes do not have the offered SHA-256");
            }
            String safe = FileNames.sanitise(in.name());
            for (int attempt = 0; attempt < 100; attempt++) {
                Path target = FileNames.unclashing(in.dir(), safe);
                try {
                    Files.move(in.part(), target);
                    notice(new FileNotice.Received(in.from(), in.name(), target, got));
                    return new FileReply.ChunkResponse(Status.SUCCESS, in.id(), held);
                } catch (FileAlreadyExistsException e) {
                    // Someone took the name between the check and the move: the next free one.
                } catch (IOException e) {
                    notice(new FileNotice.Failed(in.from(), in.name(), true, "cannot move it into place: "
                            + e.getMessage() + " (the bytes are in " + in.part() + ")"));
                    return new ErrorReply(Status.SERVER_ERROR, "the receiver cannot store the file");
                }
            }
            return new ErrorReply(Status.SERVER_ERROR, "the receiver cannot find a free name for the file");
        }
    }

    // ---------------------------------------------------------------- the wire

    /** Serves a file request from the link (on its reader thread: never waits for the network or the user). */
    CompletableFuture<PeerReply> handle(FileRequest request) {
        return switch (request) {
            case FileRequest.Offer offer -> onOffer(offer);
            case FileRequest.Get get -> onGet(get);
            case FileRequest.Chunk chunk -> onChunk(chunk);
            case FileRequest.Decline decline -> onDecline(decline);
        };
    }

    private PeerReply call(PeerInfo target, PeerRequest request) throws PeerException {
        try {
            return links.send(target, request, callId()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new PeerException("Cannot reach " + target.username() + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new PeerException("The link to " + target.username() + " broke: " + Failures.rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new PeerException(target.username() + " did not answer in time.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("Interrupted.", e);
        }
    }

    /** Best effort, off the caller's thread: a peer that does not hear it learns when it asks. */
    private void tell(String user, PeerRequest request) {
        Thread.ofVirtual().name("file-tell").start(() -> {
            try {
                call(users.find(user), request);
            } catch (PeerException e) {
                LOG.debug("Could not tell {} about a file: {}", user, e.getMessage());
            }
        });
    }

    private static String callId() {
        return UUID.randomUUID().toString();
    }

    private static String reasonOf(PeerReply reply) {
        return reply instanceof ErrorReply e ? e.reason() : "unexpected answer " + reply;
    }

    private static CompletableFuture<PeerReply> done(PeerReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    /** The SHA-256 of a file's first {@code limit} bytes, in hex. */
    static String sha256(Path file, long limit) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            long left = limit;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                digest.update(buf, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        List<Streamer> streams;
        List<Receiving> open;
        synchronized (this) {
            closed = true;
            streams = List.copyOf(sending.values());
            sending.clear();
            open = List.copyOf(receiving.values());
            offers.values().forEach(p -> p.expiry().cancel(false));
            offers.clear();
        }
        streams.forEach(Streamer::cancel);
        open.forEach(Receiving::close);
    }
}
