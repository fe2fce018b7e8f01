package dev.virtlint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputLimitTest {

    @Test
    void readsBytesAndBinaryUnits() {
        assertThat(InputLimit.parse("512")).isEqualTo(512);
        assertThat(InputLimit.parse("12B")).isEqualTo(12);
        assertThat(InputLimit.parse("1k")).isEqualTo(1024);
        assertThat(InputLimit.parse("64M")).isEqualTo(64L << 20);
        assertThat(InputLimit.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(InputLimit.parse("64mb")).isEqualTo(64L << 20);
        assertThat(InputLimit.parse("1G")).isEqualTo(1L << 30);
        assertThat(InputLimit.parse("2047M")).isEqualTo(2047L << 20);
    }

    @Test
    void refusesWhatIsNoSizeOrDoesNotFitOneArray() {
        for (String bad : new String[] {"", "0", "0M", "B", "MiB", "1.5M", "-1", "64T", "2G", "2048M",
            "9999999999999", "64 M", "64iB"}) {
            assertThat(InputLimit.parse(bad)).as(bad).isEqualTo(-1);
        }
    }
}
