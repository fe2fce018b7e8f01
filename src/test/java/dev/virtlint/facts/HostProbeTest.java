package dev.virtlint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostProbeTest {

    @Test
    void mountPathsWithEscapedSpacesReadBack() {
        assertThat(HostProbe.unescape("/srv/vm\\040images")).isEqualTo("/srv/vm images");
        assertThat(HostProbe.unescape("/srv/a\\011b\\134c")).isEqualTo("/srv/a\tb\\c");
        assertThat(HostProbe.unescape("/plain")).isEqualTo("/plain");
    }
}
