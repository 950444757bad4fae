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
