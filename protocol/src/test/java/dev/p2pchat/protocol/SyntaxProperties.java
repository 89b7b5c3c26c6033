package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The one-pass text checks say what their rules say, for any UTF-16 text, surrogates and controls included. */
class SyntaxProperties {

    @Provide
    Arbitrary<String> anyText() {
        // Few distinct characters, so that controls, tabs and both halves of surrogate pairs meet often.
        return Arbitraries.strings().withChars('a', 'é', '\t', '\n', '\u0000', '\u007f', '\ud83d', '\ude00', '\udfff',
                '\ud800').ofMaxLength(12);
    }

    @Property(tries = 2000)
    void wellFormedMeansUtf8CanEncodeIt(@ForAll("anyText") String text) {
        assertThat(Syntax.isWellFormed(text)).isEqualTo(StandardCharsets.UTF_8.newEncoder().canEncode(text));
    }

    @Property(tries = 2000)
    void singleLineMeansNoControlCharacterAndWellFormed(@ForAll("anyText") String text) {
        boolean controls = text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);

        assertThat(Syntax.isSingleLine(text))
                .isEqualTo(!controls && StandardCharsets.UTF_8.newEncoder().canEncode(text));
    }
}
