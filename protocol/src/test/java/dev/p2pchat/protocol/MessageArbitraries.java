package dev.p2pchat.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators for every message record, with optional fields both absent and present and text from all of Unicode. */
final class MessageArbitraries {
    private MessageArbitraries() {
    }

    // ---- text -------------------------------------------------------------------------------------------------

    /** Code points biased to ASCII, but reaching the whole BMP and the supplementary planes; never a surrogate. */
    private static Arbitrary<Integer> printableCodePoint() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(2, Arbitraries.integers().between(0xa0, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xfffd)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
    }

    private static Arbitrary<String> codePoints(Arbitrary<Integer> codePoint, int min, int max) {
        return codePoint.list().ofMinSize(min).ofMaxSize(max)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    /** A single-line field: no controls, no tabs, may have leading and trailing spaces. */
    static Arbitrary<String> singleLine(int min, int max) {
        return codePoints(printableCodePoint(), min, max);
    }

    static Arbitrary<String> optionalLine() {
        return Arbitraries.oneOf(singleLine(0, 60), Arbitraries.just("")).injectNull(0.3);
    }

    /** A {@code rooms} list: valid room names, no duplicates ignoring case. */
    static Arbitrary<java.util.List<String>> roomNames() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_.-").ofMinLength(3).ofMaxLength(32)
                .list().ofMaxSize(5).uniqueElements(n -> n.toLowerCase(java.util.Locale.ROOT));
    }

    static Arbitrary<String> name() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_.-").ofMinLength(3).ofMaxLength(32),
                singleLine(1, 40));
    }

    /** Chat text: anything but unpaired surrogates, control characters and line breaks included, at most 4 KiB. */
    static Arbitrary<String> chatText() {
        Arbitrary<Integer> any = Arbitraries.frequencyOf(
                Tuple.of(8, printableCodePoint()),
                Tuple.of(1, Arbitraries.of(0x0a, 0x0d, 0x09, 0x00, 0x1b, 0x7f, 0x85, 0x2028, 0xfeff)));
        return codePoints(any, 1, 1000);
    }

    static Arbitrary<String> sha256Hex() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(64);
    }

    static Arbitrary<String> id() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars("-_").ofMinLength(1).ofMaxLength(64);
    }

    /** A sealed mailbox item as it travels: base64 of 1 to 200 arbitrary bytes. */
    static Arbitrary<String> sealed() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200)
                .map(b -> java.util.Base64.getEncoder().encodeToString(b));
    }

    /** Stands for a certificate's DER: the codec checks only that its SHA-256 is the fingerprint. */
    static Arbitrary<byte[]> certificateBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(900);
    }

    static String base64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    static String sha256Of(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64 of 8 to 80 random bytes: the shape of a signature header, not a valid signature. */
    static Arbitrary<String> signature() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(8).ofMaxSize(80)
                .map(b -> java.util.Base64.getEncoder().encodeToString(b));
    }

    static Arbitrary<RelayTicket> relayTicket() {
        return Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789.:-[]")
                        .ofMinLength(1).ofMaxLength(40).injectNull(0.3), port(), sha256Hex(),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(RelayRequest.Join.MAX_TOKEN_LENGTH))
                .as(RelayTicket::new);
    }

    static Arbitrary<Integer> port() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 65535), Arbitraries.of(1, 65535));
    }

    /** Any instant that fits in epoch milliseconds, sub-millisecond parts included (the records drop them). */
    static Arbitrary<Instant> instant() {
        long maxSeconds = Long.MAX_VALUE / 1000 - 1;
        return Combinators.combine(Arbitraries.longs().between(-maxSeconds, maxSeconds),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }

    static Arbitrary<Duration> millis() {
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE - 1),
                Arbitraries.integers().between(0, 999_999)).as((ms, ns) -> Duration.ofMillis(ms).plusNanos(ns));
    }

    // ---- statuses ---------------------------------------------------------------------------------------------

    static Arbitrary<Status> status() {
        Arbitrary<Status> known = Arbitraries.of(Status.SUCCESS, Status.FOUND, Status.ACCEPT, Status.EXIST,
                Status.ONLINE, Status.NOT_ONLINE, Status.FAILURE, Status.NOT_FOUND, Status.REJECT, Status.BAD_REQUEST,
                Status.NOT_LOGGED_IN, Status.WRONG_STATE, Status.RATE_LIMITED, Status.SERVER_ERROR, Status.FULL);
        Arbitrary<Status> other = Combinators.combine(
                Arbitraries.strings().withCharRange('A', 'Z').withChars('_').ofMinLength(1).ofMaxLength(20)
                        .filter(s -> s.charAt(0) != '_'),
                Arbitraries.integers().between(100, 999)).as(Status::new);
        return Arbitraries.frequencyOf(Tuple.of(4, known), Tuple.of(1, other));
    }

    static Arbitrary<Status> failureStatus() {
        return status().filter(s -> !s.isSuccess());
    }

    // ---- shared parts -----------------------------------------------------------------------------------------

    static Arbitrary<PeerInfo> peerInfo() {
        return Combinators.combine(name(), optionalLine(), singleLine(1, 45), port(), sha256Hex(), candidates())
                .as(PeerInfo::new).flatMap(p -> Arbitraries.of(Dialable.class).map(p::withDialable));
    }

    /** One dialable address and port. */
    static Arbitrary<Candidate> candidate() {
        return candidates().filter(list -> !list.isEmpty()).map(List::getFirst);
    }

    /** IPv4 and IPv6 candidates, any port; up to the limit. */
    static Arbitrary<List<Candidate>> candidates() {
        Arbitrary<java.net.InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(MessageArbitraries::address);
        Arbitrary<java.net.InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(MessageArbitraries::address);
        Arbitrary<java.net.InetAddress> dialable = Arbitraries.oneOf(v4, v6)
                .filter(a -> !a.isAnyLocalAddress() && !a.isMulticastAddress());
        return Combinators.combine(dialable, port()).as(Candidate::of).list().ofMaxSize(Candidate.MAX_CANDIDATES).uniqueElements();
    }

    private static java.net.InetAddress address(byte[] bytes) {
        try {
            return java.net.InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Arbitrary<RoomSummary> roomSummary() {
        return Combinators.combine(name(), optionalLine(), Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.of(true, false))
                .as(RoomSummary::new);
    }

    /** How many rows a cut-short list left out; null for a complete list. */
    static Arbitrary<Integer> extraRows() {
        return Arbitraries.integers().between(0, 100_000).injectNull(0.5);
    }

    // ---- one generator per record -----------------------------------------------------------------------------

    /** Every concrete message record, keyed by its class; {@link MessageRoundTripProperties} checks none is missing. */
    static Map<Class<? extends Message>, Arbitrary<? extends Message>> byRecord() {
        Map<Class<? extends Message>, Arbitrary<? extends Message>> all = new LinkedHashMap<>();
        // registry requests
        all.put(RegistryRequest.HelloP2p.class, Arbitraries.just(new RegistryRequest.HelloP2p()));
        all.put(RegistryRequest.Register.class, Combinators.combine(name(), sha256Hex()).as(RegistryRequest.Register::new));
        all.put(RegistryRequest.Login.class, Combinators.combine(name(), sha256Hex(), port(), sha256Hex(),
                certificateBytes().injectNull(0.5), candidates())
                .as((name, password, port, fingerprint, cert, candidates) -> cert == null
                        ? new RegistryRequest.Login(name, password, port, fingerprint, null, candidates)
                        : new RegistryRequest.Login(name, password, port, sha256Of(cert), base64(cert), candidates)));
        all.put(RegistryRequest.Resume.class, Combinators.combine(name(), singleLine(1, 80), port(), sha256Hex(),
                optionalLine(), certificateBytes().injectNull(0.5), candidates())
                .as((name, token, port, fingerprint, room, cert, candidates) -> cert == null
                        ? new RegistryRequest.Resume(name, token, port, fingerprint, room, null, candidates)
                        : new RegistryRequest.Resume(name, token, port, sha256Of(cert), room, base64(cert),
                                candidates))
                .flatMap(r -> roomNames().map(rooms -> new RegistryRequest.Resume(r.username(), r.token(), r.port(),
                        r.fingerprint(), r.roomName(), r.certificate(), r.candidates(), rooms))));
        all.put(RegistryRequest.CreateChatRoom.class, Combinators.combine(name(), sha256Hex().injectNull(0.4),
                Arbitraries.integers(), optionalLine()).as(RegistryRequest.CreateChatRoom::new));
        all.put(RegistryRequest.JoinChatRoom.class, Combinators.combine(name(), sha256Hex().injectNull(0.4))
                .as(RegistryRequest.JoinChatRoom::new));
        all.put(RegistryRequest.RoomExit.class, optionalLine().map(RegistryRequest.RoomExit::new));
        all.put(RegistryRequest.ShowRoomsList.class, Arbitraries.of(RegistryRequest.ListType.class)
                .map(RegistryRequest.ShowRoomsList::new));
        all.put(RegistryRequest.SearchUser.class, name().map(RegistryRequest.SearchUser::new));
        all.put(RegistryRequest.DiscoverPeers.class, optionalLine().map(RegistryRequest.DiscoverPeers::new));
        all.put(RegistryRequest.Logout.class, Arbitraries.just(new RegistryRequest.Logout()));
        all.put(RegistryRequest.KeepAlive.class, Combinators.combine(name(), singleLine(1, 80), millis().injectNull(0.3))
                .as(RegistryRequest.KeepAlive::new));
        all.put(RegistryRequest.MailboxPut.class, Combinators.combine(name(), id(), millis().injectNull(0.3), sealed())
                .as(RegistryRequest.MailboxPut::new));
        all.put(RegistryRequest.MailboxAck.class, Combinators.combine(name(), id())
                .as(RegistryRequest.MailboxAck.Item::new).list().ofMinSize(1).ofMaxSize(Limits.MAX_ACK_ITEMS)
                .map(RegistryRequest.MailboxAck::new));
        all.put(RegistryRequest.ConnectBack.class, name().map(RegistryRequest.ConnectBack::new));
        all.put(RegistryRequest.RelayToken.class, name().map(RegistryRequest.RelayToken::new));
        all.put(RegistryRequest.Punch.class, name().map(RegistryRequest.Punch::new));
        // registry replies
        all.put(ErrorReply.class, Combinators.combine(failureStatus(), singleLine(0, 100)).as(ErrorReply::new));
        all.put(RegistryReply.HelloBack.class, Combinators.combine(status(), port().injectNull(0.3))
                .as(RegistryReply.HelloBack::new));
        all.put(RegistryReply.RegisterResult.class, Combinators.combine(status(), optionalLine())
                .as(RegistryReply.RegisterResult::new));
        all.put(RegistryReply.Auth.class, Combinators.combine(status(), singleLine(1, 80).injectNull(0.3),
                instant().injectNull(0.3), singleLine(1, 80).injectNull(0.3), port().injectNull(0.3),
                millis().injectNull(0.3), millis().injectNull(0.3),
                Combinators.combine(optionalLine(), optionalLine()).as(Tuple::of))
                .as((status, token, expires, keepaliveToken, udp, timeout, interval, restoredAndReason) ->
                new RegistryReply.Auth(status, status.isSuccess() && token == null ? "t0k3n" : token, expires,
                        keepaliveToken, udp, timeout, interval, restoredAndReason.get1(), restoredAndReason.get2()))
                .flatMap(a -> roomNames().map(rooms -> new RegistryReply.Auth(a.status(), a.token(), a.tokenExpires(),
                        a.keepaliveToken(), a.udpPort(), a.keepaliveTimeout(), a.keepaliveInterval(), a.restoredRoom(),
                        a.reason(), rooms))));
        all.put(RegistryReply.Creation.class, Combinators.combine(status(), optionalLine(), optionalLine())
                .as(RegistryReply.Creation::new));
        all.put(RegistryReply.Join.class, Combinators.combine(status(), optionalLine(), optionalLine())
                .as(RegistryReply.Join::new));
        all.put(RegistryReply.RoomExitResponse.class, Combinators.combine(status(), optionalLine(), optionalLine())
                .as(RegistryReply.RoomExitResponse::new));
        all.put(RegistryReply.RoomsList.class, Combinators.combine(status(),
                Arbitraries.of(RegistryRequest.ListType.class), roomSummary().list().ofMaxSize(20), extraRows())
                .as((status, type, rooms, extra) -> new RegistryReply.RoomsList(status, type, rooms,
                        extra == null ? null : rooms.size() + extra)));
        all.put(RegistryReply.SearchUserResponse.class, Combinators.combine(status(), peerInfo(),
                certificateBytes().injectNull(0.5))
                .as((status, peer, cert) -> cert == null
                        ? new RegistryReply.SearchUserResponse(status, status.isSuccess() ? peer : null)
                        : new RegistryReply.SearchUserResponse(status, status.isSuccess()
                                ? new PeerInfo(peer.username(), peer.room(), peer.ip(), peer.port(), sha256Of(cert),
                                        peer.candidates())
                                : null, base64(cert)))
                .flatMap(r -> roomNames().map(rooms -> new RegistryReply.SearchUserResponse(r.status(), r.peer(),
                        r.certificate(), r.peer() == null ? java.util.List.of() : rooms))));
        all.put(RegistryReply.PeerList.class, Combinators.combine(status(), optionalLine(),
                peerInfo().list().ofMaxSize(20), optionalLine(), extraRows())
                .as((status, room, peers, reason, extra) -> new RegistryReply.PeerList(status, room, peers, reason,
                        extra == null ? null : peers.size() + extra)));
        all.put(RegistryReply.LogoutResponse.class, status().map(RegistryReply.LogoutResponse::new));
        all.put(RegistryReply.KeepAliveResponse.class, Combinators.combine(status(), optionalLine(),
                        candidates().map(list -> list.isEmpty() ? null : list.getFirst()))
                .as(RegistryReply.KeepAliveResponse::new));
        all.put(RegistryReply.MailboxPutResult.class, Combinators.combine(status(), id().injectNull(0.3),
                instant().injectNull(0.3), optionalLine()).as(RegistryReply.MailboxPutResult::new));
        all.put(RegistryReply.MailboxAckResult.class, Combinators.combine(status(), optionalLine())
                .as(RegistryReply.MailboxAckResult::new));
        all.put(RegistryReply.ConnectBackResult.class, Combinators.combine(status(), name(), optionalLine())
                .as(RegistryReply.ConnectBackResult::new));
        all.put(RegistryReply.RelayTokenResult.class, Combinators.combine(status(), name(), relayTicket(),
                optionalLine()).as((status, name, ticket, reason) -> new RegistryReply.RelayTokenResult(status, name,
                        status.isSuccess() ? ticket : null, reason)));
        all.put(RegistryReply.PunchResult.class, Combinators.combine(status(), name(), candidate(),
                Arbitraries.integers().between(0, 5000), optionalLine()).as((status, name, observed, delay, reason) ->
                new RegistryReply.PunchResult(status, name, status.isSuccess() ? observed : null,
                        status.isSuccess() ? Duration.ofMillis(delay) : null, reason)));
        // registry pushes
        all.put(RegistryPush.MailboxItem.class, Combinators.combine(id(), name(), instant(), sealed())
                .as(RegistryPush.MailboxItem::new));
        all.put(RegistryPush.MailboxExpired.class, Combinators.combine(name(), id()).as(RegistryPush.MailboxExpired::new));
        all.put(RegistryPush.UserLogout.class, Combinators.combine(name(), optionalLine(), optionalLine())
                .as(RegistryPush.UserLogout::new));
        all.put(RegistryPush.RoomMemberJoined.class, Combinators.combine(name(), peerInfo(), Arbitraries.of(true, false))
                .as((room, p, inRoom) -> new RegistryPush.RoomMemberJoined(room,
                        p.inRoom(inRoom ? room : null))));
        all.put(RegistryPush.RoomMemberLeft.class, Combinators.combine(name(), name()).as(RegistryPush.RoomMemberLeft::new));
        all.put(RegistryPush.Timeout.class, name().map(RegistryPush.Timeout::new));
        all.put(RegistryPush.Shutdown.class, optionalLine().map(RegistryPush.Shutdown::new));
        all.put(RegistryPush.DialBack.class, peerInfo().map(RegistryPush.DialBack::new));
        all.put(RegistryPush.RelayOffer.class, Combinators.combine(name(), sha256Hex(), relayTicket())
                .as(RegistryPush.RelayOffer::new));
        all.put(RegistryPush.PunchNow.class, Combinators.combine(name(), sha256Hex(), candidate(),
                Arbitraries.integers().between(0, 5000))
                .as((name, fp, observed, delay) -> new RegistryPush.PunchNow(name, fp, observed,
                        Duration.ofMillis(delay))));
        all.put(RegistryPush.Reachability.class, candidates().filter(list -> !list.isEmpty())
                .flatMap(tested -> Arbitraries.subsetOf(tested).map(reachable -> RegistryPush.Reachability.of(tested,
                        tested.stream().filter(reachable::contains).toList()))));
        // peer to peer
        all.put(PeerRequest.ChatRequest.class, Combinators.combine(name(), name()).as(PeerRequest.ChatRequest::new));
        all.put(PeerRequest.DirectMessage.class, Combinators.combine(id(), name(), name(), instant(), chatText())
                .as(PeerRequest.DirectMessage::new));
        all.put(PeerRequest.MessageRequest.class, Combinators.combine(id(), name(), name(), instant(), chatText())
                .as(PeerRequest.MessageRequest::new));
        all.put(PeerRequest.DirectBroadcast.class, Combinators.combine(id(), name(), name(), instant(), chatText(),
                        signature().injectNull(0.4))
                .as(PeerRequest.DirectBroadcast::new));
        all.put(PeerRequest.RoomBacklog.class, Combinators.combine(name(), name(), instant(),
                Arbitraries.integers().between(1, Limits.MAX_BACKLOG_ITEMS)).as(PeerRequest.RoomBacklog::new));
        all.put(PeerReply.RoomBacklogResponse.class, Combinators.combine(status(), name(), name(),
                        Combinators.combine(id(), name(), instant(), chatText(), signature().injectNull(0.3))
                                .as((id, sender, at, text, sig) -> new Object[] {id, sender, at, text, sig})
                                .list().ofMaxSize(5),
                        Arbitraries.integers().between(0, 1000))
                .as((status, sender, room, rows, omitted) -> new PeerReply.RoomBacklogResponse(status, sender, room,
                        rows.stream().map(r -> new PeerRequest.DirectBroadcast((String) r[0], (String) r[1], room,
                                (Instant) r[2], (String) r[3], (String) r[4])).toList(), omitted)));
        all.put(PeerRequest.ChatClosed.class, Combinators.combine(name(), name(),
                Arbitraries.of(PeerRequest.ChatClosed.Cause.class)).as(PeerRequest.ChatClosed::new));
        all.put(PeerRequest.LinkHello.class, name().map(PeerRequest.LinkHello::new));
        Arbitrary<Long> bytes = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, Long.MAX_VALUE));
        all.put(PeerRequest.FileRequest.Offer.class, Combinators.combine(id(), name(), name(), name(), bytes, sha256Hex())
                .as(PeerRequest.FileRequest.Offer::new));
        all.put(PeerRequest.FileRequest.Get.class, Combinators.combine(id(), name(), bytes,
                Arbitraries.integers().between(1, Limits.MAX_FILE_WINDOW)).as(PeerRequest.FileRequest.Get::new));
        all.put(PeerRequest.FileRequest.Chunk.class, Combinators.combine(id(), name(), bytes,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Limits.MAX_FILE_CHUNK_BYTES))
                .as((t, n, o, b) -> PeerRequest.FileRequest.Chunk.of(t, n, o, b, b.length)));
        all.put(PeerRequest.FileRequest.Decline.class, Combinators.combine(id(), name(), optionalLine())
                .as(PeerRequest.FileRequest.Decline::new));
        all.put(FileReply.OfferResponse.class, Combinators.combine(status(), id()).as(FileReply.OfferResponse::new));
        all.put(FileReply.GetResponse.class, Combinators.combine(status(), id()).as(FileReply.GetResponse::new));
        all.put(FileReply.ChunkResponse.class, Combinators.combine(status(), id(), bytes).as(FileReply.ChunkResponse::new));
        all.put(FileReply.DeclineResponse.class, Combinators.combine(status(), id()).as(FileReply.DeclineResponse::new));
        all.put(PeerReply.LinkHelloResponse.class, status().map(PeerReply.LinkHelloResponse::new));
        all.put(PeerReply.ChatClosedResponse.class, Combinators.combine(status(), name())
                .as(PeerReply.ChatClosedResponse::new));
        all.put(RelayRequest.Join.class, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1)
                .ofMaxLength(RelayRequest.Join.MAX_TOKEN_LENGTH).map(RelayRequest.Join::new));
        all.put(RelayReply.JoinResult.class, Combinators.combine(status(), optionalLine())
                .as(RelayReply.JoinResult::new));
        all.put(PeerReply.ChatRequestResponse.class, Combinators.combine(status(), name(), optionalLine())
                .as(PeerReply.ChatRequestResponse::new));
        all.put(PeerReply.DirectUnicastNotification.class, Combinators.combine(status(), id(), name(), optionalLine())
                .as(PeerReply.DirectUnicastNotification::new));
        all.put(PeerReply.DirectBroadcastNotification.class, Combinators.combine(status(), id(), name(), optionalLine())
                .as(PeerReply.DirectBroadcastNotification::new));
        return all;
    }

    static Arbitrary<Message> anyMessage() {
        List<Arbitrary<? extends Message>> all = List.copyOf(byRecord().values());
        return Arbitraries.oneOf(all);
    }

    @SuppressWarnings("unchecked")
    static <T extends Message> Arbitrary<T> of(Class<T> type) {
        return (Arbitrary<T>) byRecord().get(type);
    }
}
