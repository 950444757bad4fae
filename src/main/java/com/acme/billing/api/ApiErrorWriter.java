package com.acme.billing.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Writes SPEC 8's error body from the filters, which run before any controller. */
final class ApiErrorWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiErrorWriter() {
    }

    static void write(HttpServletResponse response, int status, String error, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(new ApiProblem.ApiError(error, List.of(detail))));
    }
}
