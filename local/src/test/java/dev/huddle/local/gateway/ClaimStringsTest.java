package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimStringsTest {
    @Test
    void rendersEveryClaimAsString_likeApiGateway() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "learner-0001");
        claims.put("exp", 1_764_331_200L);
        claims.put("email_verified", true);
        claims.put("aud", List.of("api-a", "api-b"));
        claims.put("org", Map.of("id", "org-1"));
        claims.put("nothing", null);

        assertThat(ClaimStrings.of(claims)).containsExactly(
                Map.entry("sub", "learner-0001"),
                Map.entry("exp", "1764331200"),
                Map.entry("email_verified", "true"),
                Map.entry("aud", "[api-a api-b]"),
                Map.entry("org", "{\"id\":\"org-1\"}"));
    }
}
