package dev.virtlint.model;

import java.util.List;

/**
 * A setting the program that reads it refuses: a value outside the set its parser accepts, or an
 * option name no parser takes. libvirt then rejects the XML and QEMU does not start, so the
 * disk never runs with the configuration as written.
 *
 * @param name        the attribute or option as written ({@code cache}, or an unknown
 *                    {@code cahce})
 * @param value       the value as written
 * @param unknownName whether the name itself is what is refused, rather than the value
 * @param span        the value, or for an unknown name the name
 * @param accepted    what the parser accepts, in its own order; for an unknown name, empty
 * @param closest     accepted values (or option names) close to what is written, nearest first
 * @param reader      who refuses it: {@code libvirt} or {@code QEMU}
 */
public record Refused(String name, String value, boolean unknownName, Span span,
                      List<String> accepted, List<String> closest, String reader) {

    public Refused {
        accepted = List.copyOf(accepted);
        closest = List.copyOf(closest);
    }
}
