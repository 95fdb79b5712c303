package io.faceroster.employee;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/admin/retention/purge}: the retention purge, now. */
@RestController
class RetentionController {

    private final RetentionPurge purge;

    RetentionController(RetentionPurge purge) {
        this.purge = purge;
    }

    @PostMapping("/api/v1/admin/retention/purge")
    RetentionPurge.PurgeResult purge() {
        return purge.purge();
    }
}
