package dev.huddle.local.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.huddle.local.docs.ApiDocs;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * openapi.yaml (the copy the stack serves at /docs/openapi.yaml) as a checker of real answers: the
 * Atlassian validator with every finding an error, so an undocumented status, a missing required header
 * or a body outside its schema (the response schemas forbid unknown fields) fails.
 */
final class ApiContract {
    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;

    ApiContract() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        this.api = new OpenAPIParser().readContents(ApiDocs.openApiYaml(), null, options).getOpenAPI();
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(ApiDocs.openApiYaml())
                .withLevelResolver(LevelResolver.create().withDefaultLevel(ValidationReport.Level.ERROR).build())
                .withStrictOperationPathMatching()
                .build();
    }

    /** What the answer to {@code method path} breaks of the contract (empty: nothing). */
    ValidationReport check(String method, String path, HttpResponse<byte[]> response) {
        return check(method, path, response.statusCode(), response.headers().map(), response.body());
    }

    ValidationReport check(String method, String path, int status, Map<String, List<String>> headers, byte[] body) {
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(status);
        headers.forEach(answer::withHeader);
        if (body.length > 0) {
            answer.withBody(body);
        }
        return validator.validateResponse(path, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)),
                answer.build());
    }

    /** Every operation of the spec as a route key ("POST /api/client/progress/batch") with its statuses. */
    Map<String, Set<Integer>> documentedStatuses() {
        Map<String, Set<Integer>> operations = new TreeMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.put(method.name() + " " + path, new TreeSet<>(operation.getResponses().keySet().stream()
                        .map(Integer::valueOf).toList()))));
        return operations;
    }
}
