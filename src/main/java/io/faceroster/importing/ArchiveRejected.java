package io.faceroster.importing;

import io.faceroster.DomainException;
import java.util.Map;

/**
 * An archive refused as a whole before anything of it is stored: too large, not a ZIP, an unsafe or
 * unexpected entry, a bad {@code employees.csv}. The code says which; {@code entry} or {@code line} where.
 */
class ArchiveRejected extends DomainException {

    ArchiveRejected(String code, String detail) {
        super(code, detail);
    }

    ArchiveRejected(String code, String detail, Map<String, Object> where) {
        super(code, detail, where);
    }

    static ArchiveRejected at(String code, String entry, String detail) {
        return new ArchiveRejected(code, "entry '" + entry + "': " + detail + "; nothing was stored",
                Map.of("entry", entry));
    }
}
