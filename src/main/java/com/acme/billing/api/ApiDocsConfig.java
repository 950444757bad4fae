package com.acme.billing.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (SPEC 8): every {@code /api} endpoint with its request
 * and answer schemas in the API's snake_case, the bearer key, and the error answers every endpoint may give.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiDocsConfig {

    /** The errors of SPEC 8, each with the JSON error body. */
    static final Map<String, String> ERRORS = Map.of(
            "400", "bad input, naming the field (or, for a batch, each bad event with its reason)",
            "401", "no, unknown or revoked key",
            "403", "the key's role may not, or a customer key names another user",
            "404", "unknown user, invoice or path",
            "409", "a change the rules refuse, or a conflicting duplicate event",
            "413", "a body over 1 MiB",
            "429", "over the key's rate limit (Retry-After: seconds)");

    /** springdoc describes models with its own Jackson 2 mapper: the same snake_case names as the answers. */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI billingApi() {
        return new OpenAPI()
                .info(new Info().title("Billing API").version("1").description("Usage tracking, feature gating and plan changes (SPEC 8)."))
                .components(new Components().addSecuritySchemes("apiKey",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").description("jobs/billing api-key create")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    @Bean
    OpenApiCustomizer errorAnswers() {
        return openApi -> {
            Schema<?> error = ModelConverters.getInstance().readAllAsResolvedSchema(ApiProblem.ApiError.class).schema;
            openApi.getComponents().addSchemas("ApiError", error);
            openApi.getPaths().forEach((path, item) -> {
                if (!path.startsWith("/api/")) {
                    return;
                }
                item.readOperations().forEach(operation -> ERRORS.forEach((code, description) -> operation.getResponses().putIfAbsent(code,
                        new ApiResponse().description(description).content(new Content().addMediaType("application/json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/ApiError")))))));
            });
        };
    }
}
