package dev.huddle.local.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml is a valid OpenAPI 3 document: swagger-parser (what code generators and gateway importers
 * build on) reads it without a single message. A message is how it reports both errors and the members it
 * skips, e.g. a flow mapping whose description holds a comma gains an unknown key.
 */
class OpenApiSpecTest {

    @Test
    void openApiYaml_parsesWithoutMessages() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);

        SwaggerParseResult result = new OpenAPIParser().readContents(ApiDocs.openApiYaml(), null, options);

        assertThat(result.getMessages()).as("swagger-parser's messages on openapi.yaml").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.");
    }
}
