package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Argon2ParamsTest {

    @Test
    void defaultFollowsOwaspRecommendation() {
        assertThat(Argon2Params.DEFAULT).isEqualTo(new Argon2Params(19_456, 2, 1));
    }

    @Test
    void fastParametersAreWeakerThanDefault() {
        assertThat(Argon2Params.FAST_FOR_TESTS.weakerThan(Argon2Params.DEFAULT)).isTrue();
        assertThat(Argon2Params.DEFAULT.weakerThan(Argon2Params.DEFAULT)).isFalse();
    }

    @Test
    void outOfRangeParametersAreRefused() {
        assertThatThrownBy(() -> new Argon2Params(1024, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(1024, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(15, 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(Argon2Params.MAX_MEMORY_KIB + 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(1024, Argon2Params.MAX_ITERATIONS + 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
