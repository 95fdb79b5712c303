package io.faceroster.gallery;

import io.faceroster.Paging;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What to fix in the gallery, most severe first, paged. Role admin. */
@RestController
class GalleryHealthController {

    static final int MAX_PAGE_SIZE = 200;

    private final GalleryHealth health;

    GalleryHealthController(GalleryHealth health) {
        this.health = health;
    }

    record HealthPage(String modelVersion, double threshold, Instant computedAt, Map<String, Integer> counts,
                      List<GalleryHealth.Finding> items, int page, int size, long total) {
    }

    @GetMapping("/api/v1/admin/gallery/health")
    HealthPage health(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Paging.check(page, size, MAX_PAGE_SIZE);
        GalleryHealth.Findings f = health.check();
        List<GalleryHealth.Finding> all = f.items();
        int from = (int) Math.min(all.size(), (long) page * size);
        int to = Math.min(all.size(), from + size);
        return new HealthPage(f.modelVersion(), f.threshold(), f.computedAt(), f.counts(), all.subList(from, to), page,
                size, all.size());
    }
}
