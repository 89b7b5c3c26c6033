package dev.p2pchat.protocol;

/** Turns a frame into the message it carries. Unknown commands and missing fields become 400s. */
public final class Messages {
    private Messages() {
    }

    /**
     * The message a frame carries. The frame's {@code id} (see {@link Frame#id()}) is checked here but stays on the
     * frame: only DIRECT_MESSAGE, DIRECT_BROADCAST and their notifications hold it as a field.
     */
    public static Message decode(Frame f) throws ProtocolException {
        String id = f.id();
        if (id != null && !Check.isId(id)) {
            throw ProtocolException.badContent("id must be 1-64 ASCII letters, digits, '-' and '_'");
        }
        if (f.isResponse()) {
            return decodeResponse(f);
        }
        return switch (f.verb()) {
            case RegistryRequest.HelloP2p.VERB -> new RegistryRequest.HelloP2p();
            case RegistryRequest.Register.VERB -> RegistryRequest.Register.from(f);
            case RegistryRequest.Login.VERB -> RegistryRequest.Login.from(f);
            case RegistryRequest.Resume.VERB -> RegistryRequest.Resume.from(f);
            case RegistryRequest.CreateChatRoom.VERB -> RegistryRequest.CreateChatRoom.from(f);
            case RegistryRequest.JoinChatRoom.VERB -> RegistryRequest.JoinChatRoom.from(f);
            case RegistryRequest.RoomExit.VERB -> RegistryRequest.RoomExit.from(f);
            case RegistryRequest.ShowRoomsList.VERB -> RegistryRequest.ShowRoomsList.from(f);
            case RegistryRequest.SearchUser.VERB -> RegistryRequest.SearchUser.from(f);
            case RegistryRequest.DiscoverPeers.VERB -> RegistryRequest.DiscoverPeers.from(f);
            case RegistryRequest.Logout.VERB -> new RegistryRequest.Logout();
            case RegistryRequest.KeepAlive.VERB -> RegistryRequest.KeepAlive.from(f);
            case RegistryRequest.MailboxPut.VERB -> RegistryRequest.MailboxPut.from(f);
            case RegistryRequest.MailboxAck.VERB -> RegistryRequest.MailboxAck.from(f);
            case RegistryRequest.ConnectBack.VERB -> RegistryRequest.ConnectBack.from(f);
            case RegistryPush.DialBack.VERB -> RegistryPush.DialBack.from(f);
            case RegistryRequest.RelayToken.VERB -> RegistryRequest.RelayToken.from(f);
            case RegistryPush.RelayOffer.VERB -> RegistryPush.RelayOffer.from(f);
            case RegistryRequest.Punch.VERB -> RegistryRequest.Punch.from(f);
            case RegistryPush.PunchNow.VERB -> RegistryPush.PunchNow.from(f);
            case RegistryPush.Reachability.VERB -> RegistryPush.Reachability.from(f);
            case RegistryPush.MailboxItem.VERB -> RegistryPush.MailboxItem.from(f);
            case RegistryPush.MailboxExpired.VERB -> RegistryPush.MailboxExpired.from(f);
            case RegistryPush.UserLogout.VERB -> RegistryPush.UserLogout.from(f);
            case RegistryPush.RoomMemberJoined.VERB -> RegistryPush.RoomMemberJoined.from(f);
            case RegistryPush.RoomMemberLeft.VERB -> RegistryPush.RoomMemberLeft.from(f);
            case RegistryPush.Timeout.VERB -> RegistryPush.Timeout.from(f);
            case RegistryPush.Shutdown.VERB -> RegistryPush.Shutdown.from(f);
            case PeerRequest.ChatRequest.VERB -> PeerRequest.ChatRequest.from(f);
            case PeerRequest.DirectMessage.VERB -> PeerRequest.DirectMessage.from(f);
            case PeerRequest.DirectBroadcast.VERB -> PeerRequest.DirectBroadcast.from(f);
            case PeerRequest.MessageRequest.VERB -> PeerRequest.MessageRequest.from(f);
            case PeerRequest.RoomBacklog.VERB -> PeerRequest.RoomBacklog.from(f);
            case PeerRequest.ChatClosed.VERB -> PeerRequest.ChatClosed.from(f);
            case RelayRequest.Join.VERB -> RelayRequest.Join.from(f);
            case PeerRequest.LinkHello.VERB -> PeerRequest.LinkHello.from(f);
            case PeerRequest.FileRequest.Offer.VERB -> PeerRequest.FileRequest.Offer.from(f);
            case PeerRequest.FileRequest.Get.VERB -> PeerRequest.FileRequest.Get.from(f);
            case PeerRequest.FileRequest.Chunk.VERB -> PeerRequest.FileRequest.Chunk.from(f);
            case PeerRequest.FileRequest.Decline.VERB -> PeerRequest.FileRequest.Decline.from(f);
            default -> throw ProtocolException.badContent("unknown command " + f.verb());
        };
    }

    private static Message decodeResponse(Frame f) throws ProtocolException {
        return switch (f.verb()) {
            case ErrorReply.VERB -> ErrorReply.from(f);
            case RegistryReply.HelloBack.VERB -> RegistryReply.HelloBack.from(f);
            case RegistryReply.RegisterResult.VERB -> RegistryReply.RegisterResult.from(f);
            case RegistryReply.Auth.VERB -> RegistryReply.Auth.from(f);
            case RegistryReply.Creation.VERB -> RegistryReply.Creation.from(f);
            case RegistryReply.Join.VERB -> RegistryReply.Join.from(f);
            case RegistryReply.RoomExitResponse.VERB -> RegistryReply.RoomExitResponse.from(f);
            case RegistryReply.RoomsList.VERB -> RegistryReply.RoomsList.from(f);
            case RegistryReply.SearchUserResponse.VERB -> RegistryReply.SearchUserResponse.from(f);
            case RegistryReply.PeerList.VERB -> RegistryReply.PeerList.from(f);
            case RegistryReply.LogoutResponse.VERB -> new RegistryReply.LogoutResponse(f.status());
            case RegistryReply.KeepAliveResponse.VERB -> RegistryReply.KeepAliveResponse.from(f);
            case RegistryReply.MailboxPutResult.VERB -> RegistryReply.MailboxPutResult.from(f);
            case RegistryReply.MailboxAckResult.VERB -> RegistryReply.MailboxAckResult.from(f);
            case RegistryReply.ConnectBackResult.VERB -> RegistryReply.ConnectBackResult.from(f);
            case RegistryReply.RelayTokenResult.VERB -> RegistryReply.RelayTokenResult.from(f);
            case RegistryReply.PunchResult.VERB -> RegistryReply.PunchResult.from(f);
            case PeerReply.ChatRequestResponse.VERB -> PeerReply.ChatRequestResponse.from(f);
            case PeerReply.DirectUnicastNotification.VERB -> PeerReply.DirectUnicastNotification.from(f);
            case PeerReply.DirectBroadcastNotification.VERB -> PeerReply.DirectBroadcastNotification.from(f);
            case PeerReply.ChatClosedResponse.VERB -> PeerReply.ChatClosedResponse.from(f);
            case PeerReply.RoomBacklogResponse.VERB -> PeerReply.RoomBacklogResponse.from(f);
            case RelayReply.JoinResult.VERB -> RelayReply.JoinResult.from(f);
            case PeerReply.LinkHelloResponse.VERB -> new PeerReply.LinkHelloResponse(f.status());
            case FileReply.OfferResponse.VERB, FileReply.GetResponse.VERB, FileReply.ChunkResponse.VERB,
                 FileReply.DeclineResponse.VERB -> FileReply.from(f);
            default -> throw ProtocolException.badContent("unknown response " + f.verb());
        };
    }
}
