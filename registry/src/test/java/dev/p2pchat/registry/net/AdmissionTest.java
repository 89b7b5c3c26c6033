package dev.p2pchat.registry.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** At most so many connections between accept and first answer; a place given back once; never a stuck acceptor. */
class AdmissionTest {

    @Test
    void aPlaceIsHeldUntilTheConnectionIsServedAndGivenBackOnlyOnce() throws InterruptedException {
        Admission admission = new Admission(2);
        Runnable first = admission.enter();
        Runnable second = admission.enter();
        assertThat(admission.inFlight()).isEqualTo(2);

        first.run();
        first.run(); // served, then closed: one place back, not two

        assertThat(admission.inFlight()).isEqualTo(1);
        second.run();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void whenEveryPlaceIsHeldTooLongTheNextConnectionsAreLetInUnpaced() throws InterruptedException {
        Admission admission = new Admission(1);
        admission.enter(); // a handshake that never ends

        Runnable waitedOut = admission.enter(); // returns once the bounded wait runs out
        Runnable next = admission.enter();      // unpaced for a while: no wait at all

        assertThat(admission.inFlight()).isEqualTo(1);
        waitedOut.run();
        next.run();
        assertThat(admission.inFlight()).isEqualTo(1); // unpaced ones held no place
    }
}
