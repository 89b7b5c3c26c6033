package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks every {@code ```wire} example of docs/PROTOCOL.md through the codec: each must be one frame that decodes and
 * encodes back to exactly the same bytes, so the contract cannot drift from the code.
 */
class ProtocolDocumentExamplesTest {
    /** How PROTOCOL.md shows a TAB byte in examples. */
    private static final String TAB_SYMBOL = "\u2409";

    record Example(int line, String text) {
        byte[] bytes() {
            return text.replace(TAB_SYMBOL, "\t").getBytes(StandardCharsets.UTF_8);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyWireExampleDecodesAndEncodesToTheSameBytes() throws IOException {
        return examples().stream().map(example -> DynamicTest.dynamicTest("PROTOCOL.md line " + example.line(),
                () -> assertRoundTrip(example)));
    }

    @Test
    void everyMessageRecordHasAnExample() throws Exception {
        Set<Class<?>> shown = new HashSet<>();
        for (Example example : examples()) {
            shown.add(decode(example).getClass());
        }
        assertThat(shown).containsAll(MessageArbitraries.byRecord().keySet());
    }

    private static void assertRoundTrip(Example example) {
        try {
            Message message = decode(example);
            Frame frame = Wire.reader(example.bytes()).read();
            byte[] again = FrameWriter.encode(message.toFrame().withId(frame.id()));
            if (!java.util.Arrays.equals(again, example.bytes())) {
                fail("PROTOCOL.md line %d is not in canonical form.%nThe document shows:%n%s%nThe codec writes:%n%s",
                        example.line(), example.text(),
                        new String(again, StandardCharsets.UTF_8).replace("\t", TAB_SYMBOL));
            }
        } catch (IOException | ProtocolException e) {
            fail("PROTOCOL.md line %d does not decode: %s%n%s", example.line(), e, example.text());
        }
    }

    private static Message decode(Example example) throws IOException, ProtocolException {
        FrameReader reader = Wire.reader(example.bytes());
        Frame frame = reader.read();
        if (frame == null) {
            throw new AssertionError("PROTOCOL.md line " + example.line() + " holds no frame");
        }
        if (reader.read() != null) {
            throw new AssertionError("PROTOCOL.md line " + example.line() + " holds more than one frame:\n" + example.text());
        }
        return Messages.decode(frame);
    }

    /** The text of each {@code ```wire} block: its lines, each ended by LF, exactly as written. */
    static List<Example> examples() throws IOException {
        List<String> lines = Files.readAllLines(document(), StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```wire")) {
                continue;
            }
            int first = i + 1;
            StringBuilder text = new StringBuilder();
            for (i = first; i < lines.size() && !lines.get(i).equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (i == lines.size()) {
                fail("PROTOCOL.md line %d: ```wire block is never closed", first);
            }
            examples.add(new Example(first + 1, text.toString()));
        }
        assertThat(examples).as("```wire examples in PROTOCOL.md").hasSizeGreaterThan(40);
        return examples;
    }

    /** docs/PROTOCOL.md, found from the module directory (or wherever the tests run) upwards. */
    static Path document() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("PROTOCOL.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/PROTOCOL.md not found above " + Path.of("").toAbsolutePath());
    }
}
