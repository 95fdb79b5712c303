package io.faceroster.security;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which API keys the service accepts (admin): ids and roles, never keys or hashes. */
@RestController
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    record KeyView(String id, List<String> roles) {
    }

    record KeyList(String source, List<KeyView> keys) {
    }

    @GetMapping("/api/v1/admin/api-keys")
    KeyList list() {
        return new KeyList(keys.configured() ? "configuration" : "generated at first start",
                keys.credentials().stream().map(c -> new KeyView(c.id(),
                        c.roles().stream().map(Role::label).sorted().toList())).toList());
    }
}
