package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An invalid message cannot be built (IllegalArgumentException) and cannot be decoded (400, stream intact). */
class MessageValidationTest {
    private static final String DIGEST = "a".repeat(64);
    private static final Instant T = Instant.ofEpochMilli(1_700_000_000_000L);

    private static ProtocolException decodeFails(String wire) throws Exception {
        Frame frame = Wire.readOne(wire);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Messages.decode(frame));
        assertThat(e).as("decoding %s", wire).isNotNull();
        assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(e.framingLost()).isFalse();
        return e;
    }

    // ---- digests ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "g000000000000000000000000000000000000000000000000000000000000000",
            "00000000000000000000000000000000000000000000000000000000000000000",
            "000000000000000000000000000000000000000000000000000000000000000",
            " 000000000000000000000000000000000000000000000000000000000000000"})
    void invalidDigestsAreRefused(String digest) throws Exception {
        assertThatThrownBy(() -> new RegistryRequest.Register("alice", digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryRequest.Login("alice", DIGEST, 80, digest))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerInfo("bob", null, "1.2.3.4", 80, digest))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("REGISTER\nusername: alice\npassword: " + digest + "\n\n");
        decodeFails("JOIN_CHAT_ROOM\nroom_name: r\nroom_password: " + digest + "x\n\n");
    }

    @Test
    void digestsAreReadInEitherCaseAndKeptInLowerCase() throws Exception {
        String upper = "ABCDEF0123456789".repeat(4);
        assertThat(new RegistryRequest.Register("alice", upper).password()).isEqualTo(upper.toLowerCase());
        assertThat(Messages.decode(Wire.readOne("REGISTER\nusername: a\npassword: " + upper + "\n\n")))
                .isEqualTo(new RegistryRequest.Register("a", upper.toLowerCase()));
    }

    // ---- ports --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void portsOutside1To65535AreRefused(int port) throws Exception {
        assertThatThrownBy(() -> new RegistryRequest.Login("alice", DIGEST, port, DIGEST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryReply.HelloBack(Status.SUCCESS, port))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerInfo("bob", null, "1.2.3.4", port, DIGEST))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("LOGIN\nusername: a\npassword: " + DIGEST + "\nport: " + port + "\nfingerprint: " + DIGEST + "\n\n");
        decodeFails("HELLO_BACK SUCCESS 200\nudp_port: " + port + "\n\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "+80", "80.0", " 80", "0x50", "99999999999"})
    void portsThatAreNotDecimalNumbersAreRefused(String port) throws Exception {
        decodeFails("LOGIN\nusername: a\npassword: " + DIGEST + "\nport: " + port + "\nfingerprint: " + DIGEST + "\n\n");
    }

    @Test
    void portsAtTheEdgesAreAccepted() {
        assertThat(new RegistryRequest.Login("a", DIGEST, 1, DIGEST).port()).isEqualTo(1);
        assertThat(new RegistryRequest.Login("a", DIGEST, 65535, DIGEST).port()).isEqualTo(65535);
    }

    // ---- ids ----------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a:b", "caf\u00e9", "x/y", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalidMessageIdsAreRefused(String id) throws Exception {
        assertThatThrownBy(() -> new PeerRequest.DirectMessage(id, "a", "b", T, "hi"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerReply.DirectBroadcastNotification(Status.SUCCESS, id, "b", null))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("DIRECT_MESSAGE\nid: " + id + "\nsender_username: a\nrecipient_username: b\ntimestamp: 1\n"
                + "content-length: 2\n\nhi");
        decodeFails("SEARCH_USER\nusername: bob\nid: " + id + "\n\n"); // correlation ids follow the same rule
    }

    @Test
    void idOfSixtyFourCharactersIsAccepted() throws Exception {
        String id = "A-_z9".repeat(12) + "abcd";
        assertThat(new PeerRequest.DirectMessage(id, "a", "b", T, "hi").id()).hasSize(64);
        assertThat(Messages.decode(Wire.readOne("LOGOUT\nid: " + id + "\n\n"))).isEqualTo(new RegistryRequest.Logout());
    }

    // ---- chat text ----------------------------------------------------------------------------------------------

    @Test
    void chatTextOf4096BytesIsAcceptedAnd4097Refused() throws Exception {
        String fits = "\u20ac".repeat(1365) + "a"; // 3 * 1365 + 1 = 4096 bytes
        assertThat(new PeerRequest.DirectBroadcast("m", "a", "room", T, fits).text()).isEqualTo(fits);
        String over = fits + "a";
        assertThatThrownBy(() -> new PeerRequest.DirectBroadcast("m", "a", "room", T, over))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerRequest.DirectMessage("m", "a", "b", T, over))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("DIRECT_MESSAGE\nid: m\nsender_username: a\nrecipient_username: b\ntimestamp: 1\n"
                + "content-length: 4097\n\n" + over);
    }

    @Test
    void emptyOrMalformedChatTextIsRefused() throws Exception {
        assertThatThrownBy(() -> new PeerRequest.DirectMessage("m", "a", "b", T, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerRequest.DirectMessage("m", "a", "b", T, "x\ud800"))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("DIRECT_MESSAGE\nid: m\nsender_username: a\nrecipient_username: b\ntimestamp: 1\n\n");
    }

    @Test
    void chatTextMayHoldLineBreaksAndControls() throws Exception {
        String text = "line one\r\nline two\n\ttabbed \u0000 \u001b[31m";
        assertThat(Wire.roundTrip(new PeerRequest.DirectMessage("m", "a", "b", T, text))).isEqualTo(
                new PeerRequest.DirectMessage("m", "a", "b", T, text));
    }

    // ---- single-line fields -------------------------------------------------------------------------------------

    @Test
    void overLongOrMultiLineFieldsAreRefused() throws Exception {
        String longName = "n".repeat(257);
        assertThatThrownBy(() -> new RegistryRequest.SearchUser(longName)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryRequest.SearchUser("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryRequest.SearchUser("a\tb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryRequest.CreateChatRoom("r", null, 5, "d\te"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RegistryRequest.SearchUser("n".repeat(256)).username()).hasSize(256);
        decodeFails("SEARCH_USER\nusername: " + longName + "\n\n");
        decodeFails("SEARCH_USER\nusername: \n\n");
        decodeFails("SEARCH_USER\nusername: a\tb\n\n");
        decodeFails("SEARCH_USER\n\n");
    }

    @Test
    void emptyOptionalFieldsAreTheSameAsAbsentOnes() {
        assertThat(new RegistryReply.RegisterResult(Status.SUCCESS, "").reason()).isNull();
        assertThat(new RegistryRequest.RoomExit("").roomName()).isNull();
        assertThat(new RegistryRequest.CreateChatRoom("r", null, 5, null).description()).isEmpty();
        assertThat(new PeerInfo("bob", "", "1.2.3.4", 80, DIGEST).room()).isNull();
    }

    // ---- numbers, times and durations ---------------------------------------------------------------------------

    @Test
    void timestampsKeepMillisecondPrecisionAndMustFitInEpochMillis() throws Exception {
        Instant precise = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        assertThat(new PeerRequest.DirectMessage("m", "a", "b", precise, "hi").timestamp())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_000_000));
        assertThatThrownBy(() -> new PeerRequest.DirectMessage("m", "a", "b", Instant.MAX, "hi"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerRequest.DirectMessage("m", "a", "b", null, "hi"))
                .isInstanceOf(NullPointerException.class);
        decodeFails("DIRECT_BROADCAST\nid: m\nsender_username: a\nroom_name: r\ntimestamp: soon\ncontent-length: 2\n\nhi");
        decodeFails("DIRECT_BROADCAST\nid: m\nsender_username: a\nroom_name: r\ntimestamp: +5\ncontent-length: 2\n\nhi");
        decodeFails("DIRECT_BROADCAST\nid: m\nsender_username: a\nroom_name: r\ntimestamp: 9223372036854775808\n"
                + "content-length: 2\n\nhi");
    }

    @Test
    void durationsAreWholeNonNegativeMillisecondsWithinAnInt() throws Exception {
        assertThat(new RegistryRequest.KeepAlive("a", "t", Duration.ofNanos(1_999_999)).timeout()).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> new RegistryRequest.KeepAlive("a", "t", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryRequest.KeepAlive("a", "t", Duration.ofMillis(Integer.MAX_VALUE + 1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RegistryRequest.KeepAlive("a", "t", Duration.ofMillis(Integer.MAX_VALUE)).timeout())
                .isEqualTo(Duration.ofMillis(Integer.MAX_VALUE));
        decodeFails("KEEP_ALIVE\nusername: a\ntoken: t\ntimeout: -1\n\n");
        decodeFails("KEEP_ALIVE\nusername: a\ntoken: t\ntimeout: 2147483648\n\n");
        decodeFails("AUTH SUCCESS 200\ntoken: t\nkeepalive_interval: 1.5\n\n");
        decodeFails("AUTH SUCCESS 200\ntoken: t\ntoken_expires: tomorrow\n\n");
    }

    @Test
    void roomCapacityMayBeAnyIntTheRegistryJudgesIt() throws Exception {
        // The registry answers CREATION FAILURE with a reason; the codec only needs a number.
        for (int capacity : new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}) {
            RegistryRequest.CreateChatRoom room = new RegistryRequest.CreateChatRoom("r", null, capacity, "");
            assertThat(Wire.roundTrip(room)).isEqualTo(room);
        }
        decodeFails("CREATE_CHAT_ROOM\nroom_name: r\nroom_capacity: ten\n\n");
        decodeFails("CREATE_CHAT_ROOM\nroom_name: r\n\n");
    }

    // ---- statuses -----------------------------------------------------------------------------------------------

    @Test
    void repliesNeedAStatus() {
        assertThatThrownBy(() -> new RegistryReply.RegisterResult(null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RegistryReply.LogoutResponse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new PeerReply.ChatRequestResponse(null, "a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ErrorReply(null, "r")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void errorNeedsAFailureStatusAndAReason() throws Exception {
        assertThatThrownBy(() -> new ErrorReply(Status.SUCCESS, "r")).isInstanceOf(IllegalArgumentException.class);
        decodeFails("ERROR SUCCESS 200\nreason: fine\n\n");
        decodeFails("ERROR BAD_REQUEST 400\n\n");
        assertThat(Messages.decode(Wire.readOne("ERROR BAD_REQUEST 400\nreason: \n\n")))
                .isEqualTo(new ErrorReply(Status.BAD_REQUEST, ""));
    }

    @Test
    void aReplysReasonIsMadeToFitInsteadOfRefused() {
        RegistryReply.Join join = new RegistryReply.Join(Status.FAILURE, null, "x".repeat(300) + "\ttail");
        ErrorReply error = new ErrorReply(Status.BAD_REQUEST, "\ud83d\ude00".repeat(200));

        assertThat(join.reason()).hasSize(Reasons.MAX_CHARS).endsWith("\u2026");
        assertThat(error.reason().length()).isLessThanOrEqualTo(Reasons.MAX_CHARS);
        assertThat(Syntax.isSingleLine(error.reason())).isTrue();
        assertThat(FrameWriter.encode(join.toFrame())).isNotEmpty();
    }

    @Test
    void aQuotedNameIsShortenedWithAnEllipsis() {
        assertThat(Reasons.quote("n".repeat(250))).hasSize(Reasons.MAX_QUOTED_CHARS).endsWith("\u2026");
        assertThat(Reasons.quote("lobby")).isEqualTo("lobby");
    }

    @Test
    void errorFromAProtocolExceptionIsAlwaysSendable() {
        String reason = "\ud83d\ude00".repeat(150) + "\n\u0000tail";
        ErrorReply reply = ErrorReply.of(new ProtocolException(Status.RATE_LIMITED, reason, false));
        assertThat(reply.status()).isEqualTo(Status.RATE_LIMITED);
        assertThat(reply.reason().length()).isLessThanOrEqualTo(Limits.MAX_REASON_CHARS);
        assertThat(Syntax.isSingleLine(reply.reason())).isTrue();
        assertThat(FrameWriter.encode(reply.toFrame())).isNotEmpty();
    }

    @Test
    void authSuccessNeedsAToken() throws Exception {
        assertThatThrownBy(() -> RegistryReply.Auth.failure(Status.SUCCESS, null))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("AUTH SUCCESS 200\n\n");
        assertThat(Messages.decode(Wire.readOne("AUTH FAILURE 404\nreason: wrong password\n\n")))
                .isEqualTo(RegistryReply.Auth.failure(Status.FAILURE, "wrong password"));
    }

    @Test
    void searchUserResponseCarriesAPeerExactlyOnSuccess() throws Exception {
        PeerInfo bob = new PeerInfo("bob", null, "1.2.3.4", 80, DIGEST);
        assertThatThrownBy(() -> new RegistryReply.SearchUserResponse(Status.SUCCESS, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegistryReply.SearchUserResponse(Status.NOT_ONLINE, bob))
                .isInstanceOf(IllegalArgumentException.class);
        decodeFails("SEARCH_USER_RESPONSE SUCCESS 200\nusername: bob\n\n");
        assertThat(Messages.decode(Wire.readOne("SEARCH_USER_RESPONSE NOT_FOUND 404\nusername: bob\n\n")))
                .isEqualTo(new RegistryReply.SearchUserResponse(Status.NOT_FOUND, null));
    }

    // ---- structure ----------------------------------------------------------------------------------------------

    @Test
    void roomMemberJoinedPutsTheMemberInThatRoom() {
        PeerInfo bob = new PeerInfo("bob", null, "1.2.3.4", 80, DIGEST);
        assertThat(new RegistryPush.RoomMemberJoined("lobby", bob).member().room()).isEqualTo("lobby");
        PeerInfo elsewhere = new PeerInfo("bob", "kitchen", "1.2.3.4", 80, DIGEST);
        assertThatThrownBy(() -> new RegistryPush.RoomMemberJoined("lobby", elsewhere))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roomsListKeepsOnlyWhatItsTypeCarries() {
        RoomSummary full = new RoomSummary("r", "about r", 1, 5, true);
        assertThat(new RegistryReply.RoomsList(Status.FOUND, RegistryRequest.ListType.PARTIAL, List.of(full)).rooms())
                .containsExactly(new RoomSummary("r", null, 1, 5, false));
        assertThat(new RegistryReply.RoomsList(Status.FOUND, RegistryRequest.ListType.DETAILED,
                List.of(new RoomSummary("r", null, 1, 5, true))).rooms())
                .containsExactly(new RoomSummary("r", "", 1, 5, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ROOMS_LIST FOUND 200\ncolumns: name\tdescription\tmembers\tcapacity\thas_password\n||r\td\t1\t5\tyes\n",
        "ROOMS_LIST FOUND 200\ncolumns: name\tmembers\tcapacity\n||r\tone\t5\n",
        "ROOMS_LIST FOUND 200\ncolumns: name\tmembers\tcapacity\n||r\t1\t5\t\n",
        "ROOMS_LIST FOUND 200\ncolumns: name\tmembers\tcapacity\n||r\t-1\t5\n",
        "ROOMS_LIST FOUND 200\ncolumns: name\tmembers\n||r\t1\n",
        "ROOMS_LIST FOUND 200\ncolumns: name\tmembers\tcapacity\n||\t1\t5\n\n",
        "PEER_LIST SUCCESS 200\ncolumns: username\troom\tip\tport\tfingerprint\n||u\t\t1.2.3.4\t0\tz\n",
        "PEER_LIST SUCCESS 200\ncolumns: username\tip\n||u\t",
    })
    void malformedTablesAreRefused(String headAndPayload) throws Exception {
        decodeFails(withPayload(headAndPayload));
    }

    /** "HEAD||PAYLOAD" → a frame with the right content-length. */
    private static String withPayload(String headAndPayload) {
        String[] parts = headAndPayload.split("\\|\\|", -1);
        return parts[0] + "content-length: " + Wire.bytes(parts[1]).length + "\n\n" + parts[1];
    }

    @Test
    void tableColumnsMayComeInAnyOrderAndExtraColumnsAreIgnored() throws Exception {
        String wire = withPayload("ROOMS_LIST FOUND 200\ncolumns: capacity\tname\tfuture\tmembers\n||5\tr\tx\t1\n");
        assertThat(Messages.decode(Wire.readOne(wire))).isEqualTo(new RegistryReply.RoomsList(Status.FOUND,
                RegistryRequest.ListType.PARTIAL, List.of(new RoomSummary("r", null, 1, 5, false))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NO_SUCH_COMMAND\n\n", "ERROR\nreason: x\n\n", "HELLO_P2P SUCCESS 200\n\n",
            "NO_SUCH_REPLY SUCCESS 200\n\n", "SHOW_ROOMS_LIST\ntype: EVERYTHING\n\n"})
    void unknownCommandsAndShapesAreRefused(String wire) throws Exception {
        decodeFails(wire);
    }
}
