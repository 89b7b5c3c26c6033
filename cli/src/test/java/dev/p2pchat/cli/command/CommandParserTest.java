package dev.p2pchat.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;

import dev.p2pchat.cli.command.Command.*;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    private static Command parse(String line) {
        return CommandParser.parse(line);
    }

    private static String invalid(String line) {
        Command command = parse(line);
        assertThat(command).as(line).isInstanceOf(Invalid.class);
        return ((Invalid) command).message();
    }

    // --- text, empty, escaping

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t  "})
    void blankLineIsEmpty(String line) {
        assertThat(parse(line)).isEqualTo(new Empty());
    }

    @Test
    void nullIsEmpty() {
        assertThat(parse(null)).isEqualTo(new Empty());
    }

    @Test
    void textIsSaidVerbatim() {
        assertThat(parse("  hello *world* \"x")).isEqualTo(new Say("  hello *world* \"x"));
    }

    @Test
    void doubleSlashSaysTextStartingWithOneSlash() {
        assertThat(parse("//shrug")).isEqualTo(new Say("/shrug"));
        assertThat(parse("//")).isEqualTo(new Say("/"));
    }

    @Test
    void leadingBlanksDoNotTurnACommandIntoText() {
        assertThat(parse("  /login alice secret")).isEqualTo(new Login("alice", Optional.of("secret")));
    }

    @Test
    void overlongTextIsRefusedWithItsSize() {
        assertThat(invalid("é".repeat(2049))).isEqualTo("the message is too long: 4098 bytes, at most 4096 allowed");
        assertThat(parse("a".repeat(4096))).isInstanceOf(Say.class);
    }

    @Test
    void unknownCommandPointsToHelp() {
        assertThat(invalid("/foo bar")).isEqualTo("unknown command /foo — type /help");
    }

    @Test
    void bareSlashAsksForACommand() {
        assertThat(invalid("/")).contains("/help");
        assertThat(invalid("/ join")).contains("/help");
    }

    @Test
    void commandNamesAreCaseInsensitive() {
        assertThat(parse("/JOIN lobby")).isEqualTo(new Join("lobby", Optional.empty()));
        assertThat(parse("/Quit")).isEqualTo(new Quit());
    }

    // --- accounts

    @Test
    void registerAndLoginTakeAnOptionalPassword() {
        assertThat(parse("/register alice")).isEqualTo(new Register("alice", Optional.empty()));
        assertThat(parse("/register alice s3cret")).isEqualTo(new Register("alice", Optional.of("s3cret")));
        assertThat(parse("/login alice")).isEqualTo(new Login("alice", Optional.empty()));
        assertThat(parse("/login alice \"with space\"")).isEqualTo(new Login("alice", Optional.of("with space")));
    }

    @Test
    void registerAndLoginNeedAName() {
        assertThat(invalid("/register")).isEqualTo("usage: /register NAME [PASSWORD]");
        assertThat(invalid("/login")).isEqualTo("usage: /login NAME [PASSWORD]");
        assertThat(invalid("/login alice pw extra")).isEqualTo("usage: /login NAME [PASSWORD]");
    }

    @Test
    void emptyQuotedPasswordIsRefused() {
        assertThat(invalid("/login alice \"\"")).isEqualTo("the password must not be empty");
    }

    @Test
    void passwordsAreNeverPrinted() {
        assertThat(parse("/login alice hunter2").toString()).doesNotContain("hunter2").contains("***");
        assertThat(parse("/register alice hunter2").toString()).doesNotContain("hunter2");
        assertThat(parse("/join room hunter2").toString()).doesNotContain("hunter2");
        assertThat(parse("/create room --password hunter2").toString()).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/logout|Logout", "/users|Users", "/who|Who", "/quit|Quit"})
    void commandsWithoutArguments(String line, String type) {
        assertThat(parse(line).getClass().getSimpleName()).isEqualTo(type);
        assertThat(invalid(line + " extra")).isEqualTo("usage: " + line);
    }

    // --- names

    @ParameterizedTest
    @ValueSource(strings = {"ab", "thirty-three-characters-long-name"})
    void namesOfTheWrongLengthAreRefusedWithTheProtocolsRule(String name) {
        assertThat(invalid("/search \"" + name + "\"")).isEqualTo(
                "the user name \"" + name + "\" must be 3-32 characters long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name", "é-accent", "semi;colon", "a/b"})
    void namesWithOtherCharactersAreRefusedWithTheProtocolsRule(String name) {
        assertThat(invalid("/search \"" + name + "\"")).isEqualTo(
                "the user name \"" + name + "\" may contain only letters, digits, '_', '.' and '-'");
    }

    @Test
    void roomCommandsSayRoomName() {
        assertThat(invalid("/join ab")).isEqualTo("the room name \"ab\" must be 3-32 characters long");
        assertThat(invalid("/create a!b")).startsWith("the room name \"a!b\" may contain only");
        assertThat(invalid("/switch #ab")).startsWith("the room name \"ab\"");
    }

    @Test
    void theClientAcceptsExactlyTheNamesTheProtocolAccepts() {
        for (String name : java.util.List.of("ab", "abc", "a".repeat(32), "a".repeat(33), "a_b.c-d", "a b", "ä-ö", "x/y")) {
            boolean accepted = parse("/search \"" + name + "\"") instanceof Search;
            assertThat(accepted).as(name).isEqualTo(dev.p2pchat.protocol.Names.isValidUsername(name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", "Bob_2", "a.b-c", "thirty-two-characters-long-name_"})
    void validNamesAreAccepted(String name) {
        assertThat(parse("/search " + name)).isEqualTo(new Search(name));
    }

    // --- chats

    @Test
    void closeTakesAnOptionalName() {
        assertThat(parse("/close")).isEqualTo(new Close(Optional.empty()));
        assertThat(parse("/close bob")).isEqualTo(new Close(Optional.of("bob")));
        assertThat(invalid("/close bob carol")).isEqualTo("usage: /close [NAME]");
        assertThat(invalid("/close x")).startsWith("the user name \"x\"");
    }

    @Test
    void chatsTakesNoArguments() {
        assertThat(parse("/chats")).isEqualTo(new Chats());
        assertThat(invalid("/chats all")).isEqualTo("usage: /chats");
    }

    @Test
    void chatAcceptRejectAndSearchTakeOneName() {
        assertThat(parse("/chat bob")).isEqualTo(new Chat("bob"));
        assertThat(parse("/accept bob")).isEqualTo(new Accept("bob"));
        assertThat(parse("/reject bob")).isEqualTo(new Reject("bob"));
        assertThat(invalid("/chat")).isEqualTo("usage: /chat NAME");
        assertThat(invalid("/accept bob carol")).isEqualTo("usage: /accept NAME");
        assertThat(invalid("/reject")).isEqualTo("usage: /reject NAME");
        assertThat(invalid("/search")).isEqualTo("usage: /search NAME");
    }

    @Test
    void msgTakesTheRestOfTheLineAsTyped() {
        assertThat(parse("/msg bob  don't \"quote\" me  ")).isEqualTo(new Msg("bob", "don't \"quote\" me"));
    }

    @Test
    void msgNeedsANameAndText() {
        assertThat(invalid("/msg")).isEqualTo("usage: /msg NAME TEXT...");
        assertThat(invalid("/msg bob   ")).isEqualTo("usage: /msg NAME TEXT...");
        assertThat(invalid("/msg x hi")).startsWith("the user name \"x\"");
    }

    @Test
    void msgTextIsLimitedInBytes() {
        assertThat(invalid("/msg bob " + "a".repeat(4097))).isEqualTo("the message is too long: 4097 bytes, at most 4096 allowed");
    }

    // --- rooms

    @Test
    void roomsOptionallyDetailed() {
        assertThat(parse("/rooms")).isEqualTo(new Rooms(false));
        assertThat(parse("/rooms detailed")).isEqualTo(new Rooms(true));
        assertThat(parse("/rooms DETAILED")).isEqualTo(new Rooms(true));
        assertThat(invalid("/rooms all")).isEqualTo("usage: /rooms [detailed]");
    }

    @Test
    void joinTakesAnOptionalPassword() {
        assertThat(parse("/join lobby")).isEqualTo(new Join("lobby", Optional.empty()));
        assertThat(parse("/join lobby pw")).isEqualTo(new Join("lobby", Optional.of("pw")));
        assertThat(invalid("/join")).isEqualTo("usage: /join NAME [PASSWORD]");
        assertThat(invalid("/join lobby pw more")).isEqualTo("usage: /join NAME [PASSWORD]");
    }

    @Test
    void createWithNameOnly() {
        assertThat(parse("/create lobby"))
                .isEqualTo(new Create("lobby", Optional.empty(), OptionalInt.empty(), Optional.empty()));
    }

    @Test
    void createWithAllOptionsInAnyOrder() {
        assertThat(parse("/create lobby --capacity 50 --password pw --description \"multi word\""))
                .isEqualTo(new Create("lobby", Optional.of("pw"), OptionalInt.of(50), Optional.of("multi word")));
        assertThat(parse("/create lobby --description \"multi word\" --capacity=7"))
                .isEqualTo(new Create("lobby", Optional.empty(), OptionalInt.of(7), Optional.of("multi word")));
    }

    @Test
    void unquotedDescriptionTakesTheRestOfTheLine() {
        assertThat(parse("/create lobby --password pw --description a place --capacity 5, \"really\""))
                .isEqualTo(new Create("lobby", Optional.of("pw"), OptionalInt.empty(),
                        Optional.of("a place --capacity 5, \"really\"")));
    }

    @Test
    void optionValuesMayUseEquals() {
        assertThat(parse("/create lobby --password=\"p w\" --description=\"d e\""))
                .isEqualTo(new Create("lobby", Optional.of("p w"), OptionalInt.empty(), Optional.of("d e")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1001", "-5", "ten", "99999999999", "2.5"})
    void capacityMustBeAnIntegerFromTwoToAThousand(String capacity) {
        assertThat(invalid("/create lobby --capacity " + capacity))
                .isEqualTo("the capacity must be a whole number from 2 to 1000");
    }

    @Test
    void capacityBoundsAreInclusive() {
        assertThat(parse("/create lobby --capacity 2")).isInstanceOf(Create.class);
        assertThat(parse("/create lobby --capacity 1000")).isInstanceOf(Create.class);
    }

    @Test
    void descriptionIsLimitedTo200Characters() {
        assertThat(parse("/create lobby --description " + "d".repeat(200))).isInstanceOf(Create.class);
        assertThat(invalid("/create lobby --description " + "d".repeat(201)))
                .isEqualTo("the description is too long: 201 characters, at most 200 allowed");
    }

    @Test
    void createRefusesBadOptions() {
        String usage = "usage: /create NAME [--password P] [--capacity N] [--description TEXT...]";
        assertThat(invalid("/create")).isEqualTo(usage);
        assertThat(invalid("/create lobby extra")).isEqualTo(usage);
        assertThat(invalid("/create lobby --colour red")).isEqualTo("unknown option --colour — " + usage);
        assertThat(invalid("/create lobby --capacity")).isEqualTo("--capacity needs a value — " + usage);
        assertThat(invalid("/create lobby --password")).isEqualTo("--password needs a value — " + usage);
        assertThat(invalid("/create lobby --capacity 3 --capacity 4")).isEqualTo("--capacity is given twice");
        assertThat(invalid("/create lobby --description \"\"")).isEqualTo("the description must not be empty");
        assertThat(invalid("/create lobby --description")).isEqualTo("the description must not be empty");
    }

    // --- switching and help

    @Test
    void switchTargetsAUserOrAHashRoom() {
        assertThat(parse("/switch bob")).isEqualTo(new Switch(new Conversation.Direct("bob")));
        assertThat(parse("/switch #lobby")).isEqualTo(new Switch(new Conversation.Room("lobby")));
        assertThat(invalid("/switch")).isEqualTo("usage: /switch NAME|#ROOM|N");
        assertThat(invalid("/switch #")).isEqualTo("the room name is missing");
        assertThat(invalid("/switch bob carol")).isEqualTo("usage: /switch NAME|#ROOM|N");
    }

    @Test
    void helpOptionallyNamesACommand() {
        assertThat(parse("/help")).isEqualTo(new Help(Optional.empty()));
        assertThat(parse("/help join")).isEqualTo(new Help(Optional.of("join")));
        assertThat(parse("/help /JOIN")).isEqualTo(new Help(Optional.of("join")));
        assertThat(invalid("/help /nope")).isEqualTo("unknown command /nope — type /help");
    }

    // --- quoting

    @Test
    void quotesGroupWordsAndBackslashEscapesQuoteAndBackslash() {
        assertThat(parse("/join lobby \"a \\\"b\\\" c\\\\d\\e\"")).isEqualTo(new Join("lobby", Optional.of("a \"b\" c\\d\\e")));
    }

    @Test
    void backslashesOutsideQuotesAreLiteral() {
        assertThat(parse("/join lobby p\\w")).isEqualTo(new Join("lobby", Optional.of("p\\w")));
    }

    @Test
    void unclosedQuoteIsRefused() {
        assertThat(invalid("/join lobby \"open")).isEqualTo("a double quote is not closed");
        assertThat(invalid("/join lobby 'open")).isEqualTo("a single quote is not closed");
    }

    @Test
    void singleQuotesGroupWordsLikeDoubleQuotes() {
        assertThat(parse("/create lobby --description 'first room'"))
                .isEqualTo(new Create("lobby", Optional.empty(), OptionalInt.empty(), Optional.of("first room")));
        assertThat(parse("/create lobby --password 'p w' --description 'first room' --capacity 5"))
                .isEqualTo(new Create("lobby", Optional.of("p w"), OptionalInt.of(5), Optional.of("first room")));
        assertThat(parse("/join lobby 'two words'")).isEqualTo(new Join("lobby", Optional.of("two words")));
    }

    @Test
    void singleQuotesWorkAfterAnOptionsEqualsSign() {
        assertThat(parse("/create lobby --description='first room' --password='p w'"))
                .isEqualTo(new Create("lobby", Optional.of("p w"), OptionalInt.empty(), Optional.of("first room")));
    }

    @Test
    void apostrophesInsideWordsAreNotQuotes() {
        assertThat(parse("/join lobby o'neil")).isEqualTo(new Join("lobby", Optional.of("o'neil")));
        assertThat(parse("/login bob it's")).isEqualTo(new Login("bob", Optional.of("it's")));
        assertThat(parse("/create lobby --description it's ours"))
                .isEqualTo(new Create("lobby", Optional.empty(), OptionalInt.empty(), Optional.of("it's ours")));
    }

    @Test
    void aSingleQuotedArgumentEndsOnlyAtAQuoteBeforeABlank() {
        assertThat(parse("/create lobby --description 'it's ours' --capacity 3"))
                .isEqualTo(new Create("lobby", Optional.empty(), OptionalInt.of(3), Optional.of("it's ours")));
        assertThat(parse("/join lobby 'a\\b'")).isEqualTo(new Join("lobby", Optional.of("a\\b")));
    }

    @Test
    void doubleQuotesInsideSingleQuotesAreLiteralAndViceVersa() {
        assertThat(parse("/join lobby 'say \"hi\"'")).isEqualTo(new Join("lobby", Optional.of("say \"hi\"")));
        assertThat(parse("/join lobby \"it's\"")).isEqualTo(new Join("lobby", Optional.of("it's")));
    }

    // --- contacts

    @Test
    void verifyTakesANameAndAnOptionalConfirm() {
        assertThat(parse("/verify bob")).isEqualTo(new Command.Verify("bob", false));
        assertThat(parse("/verify bob confirm")).isEqualTo(new Command.Verify("bob", true));
        assertThat(parse("/verify bob yes")).isInstanceOf(Invalid.class);
        assertThat(parse("/verify")).isInstanceOf(Invalid.class);
    }

    @Test
    void trustTakesOneNameAndContactsNone() {
        assertThat(parse("/trust bob")).isEqualTo(new Command.Trust("bob"));
        assertThat(parse("/trust")).isInstanceOf(Invalid.class);
        assertThat(parse("/contacts")).isEqualTo(new Command.Contacts());
        assertThat(parse("/contacts bob")).isInstanceOf(Invalid.class);
    }

    // --- history

    @Test
    void historyTakesAnOptionalPositiveCount() {
        assertThat(parse("/history")).isEqualTo(new Command.History(OptionalInt.empty()));
        assertThat(parse("/history 50")).isEqualTo(new Command.History(OptionalInt.of(50)));
        assertThat(parse("/history 0")).isInstanceOf(Invalid.class);
        assertThat(parse("/history lots")).isInstanceOf(Invalid.class);
    }

    @Test
    void findTakesTheRestOfTheLineAndForgetAnOptionalConversation() {
        assertThat(parse("/find Grüße aus München")).isEqualTo(new Command.Find("Grüße aus München"));
        assertThat(parse("/find")).isInstanceOf(Invalid.class);
        assertThat(parse("/forget")).isEqualTo(new Command.Forget(Optional.empty()));
        assertThat(parse("/forget bob")).isEqualTo(new Command.Forget(Optional.of(new Conversation.Direct("bob"))));
        assertThat(parse("/forget #lobby")).isEqualTo(new Command.Forget(Optional.of(new Conversation.Room("lobby"))));
        assertThat(parse("/forget 3")).isInstanceOf(Invalid.class); // a buffer number names no conversation
    }

    // --- completion and help text

    @Test
    void pathNamesTheUserWhoseLinkIsDescribed() {
        assertThat(parse("/path bob")).isEqualTo(new Command.Path("bob"));
    }

    @Test
    void commandNamesListsEveryCommandWithItsSlash() {
        assertThat(CommandParser.commandNames()).containsExactly("/register", "/login", "/logout", "/users",
                "/search", "/chat", "/accept", "/reject", "/close", "/chats", "/send", "/get", "/decline", "/msg", "/me", "/ignore", "/unignore",
                "/contacts", "/verify", "/trust", "/history", "/find", "/forget", "/rooms", "/create",
                "/join", "/leave", "/who", "/path",
                "/switch", "/set", "/save", "/help", "/quit");
    }

    @Test
    void everyListedCommandIsKnownToTheParser() {
        for (String name : CommandParser.commandNames()) {
            assertThat(parse(name)).as(name).isNotEqualTo(new Invalid("unknown command " + name + " — type /help"));
        }
    }

    @Test
    void helpHasOneAlignedLinePerCommand() {
        assertThat(HelpText.lines()).hasSize(CommandParser.commandNames().size())
                .allSatisfy(line -> assertThat(line).startsWith("/").doesNotContain("\n"));
        assertThat(HelpText.line(HelpText.entry("join").orElseThrow())).matches("/join NAME \\[PASSWORD] +join a room too \\(the others stay joined\\)");
        int column = HelpText.entries().stream().mapToInt(e -> e.usage().length()).max().orElseThrow() + 2;
        for (HelpText.Entry entry : HelpText.entries()) {
            assertThat(HelpText.line(entry).substring(column)).isEqualTo(entry.description());
        }
    }

    @Test
    void sendGetAndDeclineNameTheUserAndTheFileOrDirectory() {
        assertThat(parse("/send bob '/tmp/my report.pdf'")).isEqualTo(new Command.SendFile("bob", "/tmp/my report.pdf"));
        assertThat(parse("/get alice")).isEqualTo(new Command.GetFile("alice", java.util.Optional.empty()));
        assertThat(parse("/get alice /srv/in")).isEqualTo(new Command.GetFile("alice", java.util.Optional.of("/srv/in")));
        assertThat(parse("/decline alice")).isEqualTo(new Command.DeclineFile("alice"));
        assertThat(parse("/send bob")).isInstanceOf(Invalid.class);
    }

    @Test
    void helpTableFitsEightyColumns() {
        assertThat(HelpText.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void helpForCreateSpellsOutEveryOption() {
        assertThat(HelpText.detail(HelpText.entry("create").orElseThrow())).containsExactly(
                "/create NAME [--password P] [--capacity N] [--description TEXT...]",
                "  create a room",
                "  --password P           members must give P to /join",
                "  --capacity N           at most N members, 2–1000 (default 50)",
                "  --description TEXT...  shown by /rooms detailed; quoted, or the rest of the line");
    }

    // --- records guard themselves

    @Test
    void recordsRefuseValuesTheParserWouldRefuse() {
        assertThatThrownBy(() -> new Join("x", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Create("lobby", Optional.empty(), OptionalInt.of(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Say(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- never throws

    @Property(tries = 3000)
    void parseNeverThrows(@ForAll("commandLike") String line) {
        assertThat(CommandParser.parse(line)).isNotNull();
    }

    @Property(tries = 500)
    void parseNeverThrowsOnArbitraryText(@ForAll String line) {
        assertThat(CommandParser.parse(line)).isNotNull();
    }

    @Provide
    Arbitrary<String> commandLike() {
        Arbitrary<String> head = Arbitraries.of(CommandParser.commandNames()).map(n -> n + " ");
        Arbitrary<String> part = Arbitraries.of("bob", "lobby", "\"", "\\", "\\\"", "--password", "--capacity",
                "--description", "=", "5", "0", "#", "#room", " ", "x", "detailed", "/", "é", "\t", "'", "it's", "'a b'",
                "--description='x");
        return net.jqwik.api.Combinators.combine(head, part.list().ofMaxSize(8))
                .as((h, parts) -> h + String.join(" ", parts));
    }

    @Test
    void weechatAndIrssiAliasesAreTheCommandsTheyStandFor() {
        assertThat(parse("/j lobby")).isEqualTo(new Join("lobby", Optional.empty()));
        assertThat(parse("/J lobby")).isEqualTo(new Join("lobby", Optional.empty()));
        assertThat(parse("/part")).isEqualTo(new Command.Leave());
        assertThat(parse("/part #lobby")).isEqualTo(new Command.Leave(Optional.of("lobby")));
        assertThat(parse("/leave lobby")).isEqualTo(new Command.Leave(Optional.of("lobby")));
        assertThat(parse("/leave lobby extra")).isEqualTo(new Invalid("usage: /leave [#ROOM]"));
        assertThat(parse("/query bob")).isEqualTo(new Command.Chat("bob"));
        assertThat(parse("/q")).isEqualTo(new Command.Quit());
        assertThat(parse("/w")).isEqualTo(new Command.Who());
        assertThat(CommandParser.commandName("/j lobby secret")).contains("/join");
        assertThat(HelpText.entry("part")).map(HelpText.Entry::name).contains("leave");
    }

    @Test
    void meTakesTheRestOfTheLineAsTheAction() {
        assertThat(parse("/me waves  at   everyone")).isEqualTo(new Command.Me("waves  at   everyone"));
        assertThat(parse("/me waves").equals(new Command.Me("waves")) && new Command.Me("waves").text().equals("/me waves")).isTrue();
        assertThat(parse("/me")).isEqualTo(new Invalid("usage: /me ACTION..."));
    }

    @Test
    void ignoreTakesANameOrNoneToList() {
        assertThat(parse("/ignore bob")).isEqualTo(new Command.Ignore(Optional.of("bob")));
        assertThat(parse("/ignore")).isEqualTo(new Command.Ignore(Optional.empty()));
        assertThat(parse("/unignore bob")).isEqualTo(new Command.Unignore("bob"));
        assertThat(parse("/unignore")).isEqualTo(new Invalid("usage: /unignore NAME"));
    }

    @Test
    void setTakesAKeyAndTheRestOfTheLine() {
        assertThat(parse("/set password_cmd pass show p2pchat")).isEqualTo(new Command.Set("password_cmd", "pass show p2pchat"));
        assertThat(parse("/set Notify never")).isEqualTo(new Command.Set("notify", "never"));
        assertThat(parse("/set timestamps 'HH:mm:ss'")).isEqualTo(new Command.Set("timestamps", "HH:mm:ss"));
        assertThat(parse("/set notify")).isEqualTo(new Invalid("usage: /set KEY VALUE"));
        assertThat(parse("/save")).isEqualTo(new Command.Save());
    }

    @Test
    void switchWithANumberShowsThatBuffer() {
        assertThat(parse("/switch 2")).isEqualTo(new Command.SwitchBuffer(2));
        assertThat(parse("/switch 12")).isEqualTo(new Command.SwitchBuffer(12));
        assertThat(parse("/switch 0")).isInstanceOf(Invalid.class);
        assertThat(parse("/switch 123")).isEqualTo(new Command.Switch(new Conversation.Direct("123")));
    }
}
