package dev.huddle.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker the contract test relies on does refuse what the spec does not describe. */
class ApiContractCheckTest {
    private static final String BATCH = "/api/client/progress/batch";
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final ApiContract contract = new ApiContract();

    @Test
    void documentedAnswer_passes() {
        assertThat(messages(200, JSON, "{\"accepted\":[\"e1\"],\"duplicates\":[],\"rejected\":[]}")).isEmpty();
    }

    @Test
    void unknownField_fails() {
        assertThat(messages(200, JSON, "{\"accepted\":[],\"duplicates\":[],\"rejected\":[],\"extra\":1}"))
                .anyMatch(key -> key.contains("additionalProperties"));
    }

    @Test
    void undocumentedStatus_fails() {
        assertThat(messages(418, JSON, "{\"error\":\"invalid_json\",\"message\":\"m\"}"))
                .contains("validation.response.status.unknown");
    }

    @Test
    void rateLimitedWithoutRetryAfter_fails() {
        assertThat(messages(429, JSON, "{\"error\":\"rate_limited\",\"message\":\"m\"}"))
                .contains("validation.response.header.missing");
    }

    @Test
    void errorCodeOutsideTheEnum_fails() {
        assertThat(messages(400, JSON, "{\"error\":\"oops\",\"message\":\"m\"}")).isNotEmpty();
    }

    private List<String> messages(int status, Map<String, List<String>> headers, String body) {
        ValidationReport report = contract.check("POST", BATCH, status, headers, body.getBytes(StandardCharsets.UTF_8));
        return report.getMessages().stream().map(ValidationReport.Message::getKey).toList();
    }
}
