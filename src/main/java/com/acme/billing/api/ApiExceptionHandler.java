package com.acme.billing.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors as SPEC 8's JSON body; nothing about the server's inside reaches the client. Global, so that
 * an unknown path (no controller at all) is a JSON 404 too.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** Anything unforeseen: logged with its stack trace, answered as JSON without it. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiProblem.ApiError> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof org.springframework.web.ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            // Spring MVC's own refusals (a parameter of the wrong type, say): their status, in the API's shape.
            String detail = known.getBody().getDetail();
            return ResponseEntity.status(known.getStatusCode())
                    .body(new ApiProblem.ApiError("bad_request", List.of(detail == null ? "the request was refused" : detail)));
        }
        if (e instanceof org.springframework.http.converter.HttpMessageNotReadableException) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(new ApiProblem.ApiError("bad_request", List.of("the body could not be read")));
        }
        LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(new ApiProblem.ApiError("internal_error", List.of("the request failed on the server; the operators have the details in its log")));
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ApiProblem.ApiError> problem(ApiProblem problem) {
        return ResponseEntity.status(problem.status()).body(problem.body());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiProblem.ApiError> notFound(HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ApiProblem.ApiError("not_found", List.of(request.getRequestURI())));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiProblem.ApiError> method(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).body(new ApiProblem.ApiError("method_not_allowed", List.of(e.getMethod())));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiProblem.ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(new ApiProblem.ApiError("unsupported_media_type", List.of("send Content-Type: application/json")));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiProblem.ApiError> missing(MissingServletRequestParameterException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(new ApiProblem.ApiError("bad_request", List.of(e.getParameterName() + ": required")));
    }
}
