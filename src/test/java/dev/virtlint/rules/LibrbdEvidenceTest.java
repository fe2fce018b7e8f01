package dev.virtlint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtlint.model.CacheMode;
import dev.virtlint.model.CacheMode.Preset;
import org.junit.jupiter.api.Test;

/**
 * What an rbd disk's findings say of librbd's cache, per cache mode (block/rbd.c sets rbd_cache
 * from cache.direct; bdrv_co_flush drops flushes under cache.no-flush; Ceph's
 * rbd_cache_writethrough_until_flush): every mode loses 0 B of acknowledged writes, and the text
 * says why and what it assumed.
 */
class LibrbdEvidenceTest {

    @Test
    void eachModeSaysWhatLibrbdHoldsAndThatNoAcknowledgedWriteIsLost() {
        for (Preset p : Preset.values()) {
            String text = Evidences.librbd(p.explicitMode());
            assertThat(text).as(p.id()).startsWith("librbd cache figures, no host page cache: ")
                    .contains("loses 0 B of acknowledged writes").contains("ceph.conf is not read");
        }
        assertThat(Evidences.librbd(Preset.WRITEBACK.explicitMode()))
                .contains("writes through until the guest's first flush; then a write completes before it is on"
                        + " the OSDs, up to rbd_cache_max_dirty (24 MiB) of unwritten writes (the writearound"
                        + " policy sends each at once; under the writeback policy writeback starts after"
                        + " rbd_cache_max_dirty_age, 1 s by default), lost with QEMU's memory")
                .doesNotContain("for at most 1 s")
                .contains("a guest that never flushes keeps librbd writethrough");
        assertThat(Evidences.librbd(Preset.UNSAFE.explicitMode())).contains("never leaves writethrough");
        assertThat(Evidences.librbd(Preset.WRITETHROUGH.explicitMode())).contains("flushes librbd after every write");
        assertThat(Evidences.librbd(Preset.NONE.explicitMode())).contains("rbd_cache=false");
        assertThat(Evidences.librbd(new CacheMode(false, false, true, true))).contains("never leaves writethrough");
    }
}
