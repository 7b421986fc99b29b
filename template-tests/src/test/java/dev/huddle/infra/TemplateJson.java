package dev.huddle.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.assertions.Template;

/** Small readers over the synthesized template's JSON (resources as maps), shared by the tests. */
final class TemplateJson {
    private TemplateJson() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** The Lambda function (the resource map) whose Handler is the given class. */
    static Map.Entry<String, Map<String, Object>> functionWithHandler(Template template, String handler) {
        Map<String, Map<String, Object>> found = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", handler)));
        if (found.size() != 1) {
            throw new AssertionError("expected one function with handler " + handler + ", found " + found.keySet());
        }
        return found.entrySet().iterator().next();
    }

    /** Environment variables of a function resource. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> environment(Map<String, Object> function) {
        Map<String, Object> env = (Map<String, Object>) properties(function).getOrDefault("Environment", Map.of());
        return (Map<String, Object>) env.getOrDefault("Variables", Map.of());
    }

    /** The logical id of the role a function runs with. */
    @SuppressWarnings("unchecked")
    static String roleOf(Map<String, Object> function) {
        Map<String, Object> role = (Map<String, Object>) properties(function).get("Role");
        return (String) ((List<Object>) role.get("Fn::GetAtt")).get(0);
    }

    /** Every statement of the inline policies attached to the role. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statementsOfRole(Template template, String roleLogicalId) {
        return template.findResources("AWS::IAM::Policy").values().stream()
                .map(TemplateJson::properties)
                .filter(p -> ((List<Object>) p.get("Roles")).contains(Map.of("Ref", roleLogicalId)))
                .flatMap(p -> ((List<Map<String, Object>>) ((Map<String, Object>) p.get("PolicyDocument")).get("Statement")).stream())
                .collect(Collectors.toList());
    }

    /** A statement's actions as a list, whether the template holds one string or a list. */
    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    /** A statement's resources as a list. */
    @SuppressWarnings("unchecked")
    static List<Object> resources(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List<?> list ? (List<Object>) list : List.of(resource);
    }
}
