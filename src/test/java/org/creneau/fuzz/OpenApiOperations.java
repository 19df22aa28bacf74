package org.creneau.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The operations of the JSON API as its OpenAPI document describes them: the fuzz test derives
 * every request from here, so that a new route is fuzzed without being listed anywhere.
 */
record OpenApiOperations(List<Operation> operations, JsonNode schemas) {

    /** One parameter in the path or the query; {@code type} and {@code format} as the schema says. */
    record Parameter(String name, String in, String type, String format, boolean required) {}

    /** One method on one path template, with the JSON schema of its body (null when it has none). */
    record Operation(String method, String template, List<Parameter> parameters, JsonNode bodySchema) {

        List<Parameter> in(String where) {
            return parameters.stream().filter(p -> p.in().equals(where)).toList();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    static OpenApiOperations from(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : operation.path("parameters").values()) {
                    JsonNode schema = p.path("schema");
                    parameters.add(new Parameter(
                            p.path("name").asString(),
                            p.path("in").asString(),
                            schema.path("type").asString(null),
                            schema.path("format").asString(null),
                            p.path("required").asBoolean(false)));
                }
                JsonNode body = operation
                        .path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("schema");
                operations.add(new Operation(
                        method.getKey().toUpperCase(Locale.ROOT),
                        path.getKey(),
                        List.copyOf(parameters),
                        body.isMissingNode() ? null : body));
            }
        }
        // The document's order is not stable between starts; the seed must replay the same run.
        operations.sort(Comparator.comparing(Operation::template).thenComparing(Operation::method));
        return new OpenApiOperations(
                List.copyOf(operations), document.path("components").path("schemas"));
    }

    /** The schema itself, or the one a {@code $ref} names. */
    JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString(null);
        if (ref == null) {
            return schema;
        }
        return schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
    }
}
