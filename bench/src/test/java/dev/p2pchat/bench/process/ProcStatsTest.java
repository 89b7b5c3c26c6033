package dev.p2pchat.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code jcmd PID GC.heap_info} as JDK 25 prints it for each collector (copied from real runs). */
class ProcStatsTest {
    @Test
    void g1HeapLineGivesTheUsedHeap() {
        assertThat(ProcStats.parseHeapUsed("""
                garbage-first heap   total reserved 6172672K, committed 425984K, used 141657K [0x0000000687400000, 0x0000000800000000)
                 region size 4096K, 6 young (24576K), 1 survivors (4096K)
                """)).isEqualTo(141657L * 1024);
    }

    @Test
    void serialGenerationsAreAddedUp() {
        assertThat(ProcStats.parseHeapUsed("""
                DefNew     total 116160K, used 41823K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
                 eden space 103296K,  40% used [0x0000000687400000, 0x0000000689cd7d60, 0x000000068d8e0000)
                 from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000, 0x000000068e570000)
                Tenured    total 258048K, used 1166K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
                 the  space 258048K,   0% used [0x0000000704d50000, 0x0000000704e73ab8, 0x0000000714950000)
                """)).isEqualTo((41823L + 1166L) * 1024);
    }

    @Test
    void zgcHeapLineGivesTheUsedHeap() {
        assertThat(ProcStats.parseHeapUsed("""
                 ZHeap            used 72M, capacity 378M, max capacity 6028M
                  Cache           306M (1)
                """)).isEqualTo(72L * 1024 * 1024);
    }

    @Test
    void somethingElseIsUnknownNotZero() {
        assertThat(ProcStats.parseHeapUsed(null)).isEqualTo(-1);
        assertThat(ProcStats.parseHeapUsed("Could not attach")).isEqualTo(-1);
    }
}
