package dev.virtlint.rules;

import dev.virtlint.advise.NetworkDriver;
import dev.virtlint.model.Setting;
import java.util.List;
import java.util.Optional;

/** Guests sharing a disk through the host page cache can each see different data. */
final class HostCacheOnShareableDiskRule implements DiskRule {

    private static final RuleMeta META = new RuleMeta("host-cache-on-shareable-disk",
            "A shareable disk goes through the host page cache",
            Severity.ERROR, "safety");

    @Override
    public RuleMeta info() {
        return META;
    }

    @Override
    public void check(DiskCheck c, List<Finding> out) {
        if (!c.writable() || !c.disk().shareable() || !c.disk().cache().explicit() || c.disk().cache().direct()) {
            return;
        }
        // A network disk has no host page cache; only a driver that caches data in QEMU can make
        // the guests see different data (NetworkDriver.clientCache).
        Optional<NetworkDriver> network = NetworkDriver.of(c.disk());
        Optional<String> cache = network.flatMap(NetworkDriver::clientCache);
        if (network.isPresent() && cache.isEmpty()) {
            return;
        }
        String through = "through " + cache.orElse("the host page cache");
        out.add(c.finding(this, c.name() + " is shareable but uses " + c.cacheText()
                + ": guests sharing it " + through + " can see stale or different data",
                c.cacheSpan(Setting.CACHE_DIRECT)));
    }
}
