package io.faceroster.web;

import io.faceroster.DomainException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error leaves as {@code application/problem+json} with a stable {@code code} member; never a stack
 * trace, and never a 500 for something the client sent.
 */
@RestControllerAdvice
class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(DomainException.class)
    ResponseEntity<ProblemDetail> domain(DomainException e, HttpServletRequest request) {
        if (!ProblemStatuses.known(e.code())) {
            log.warn("problem code '{}' has no status in ProblemStatuses; answering 400", e.code());
        }
        return problem(ProblemStatuses.of(e.code()), e.code(), e.getMessage(), e.properties(), request);
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(MissingServletRequestPartException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "image_missing",
                "the multipart request has no part named '" + e.getRequestPartName() + "'",
                Map.of("part", e.getRequestPartName()), request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        if (e != null && tooManyParts(e)) {
            return problem(HttpStatus.BAD_REQUEST, "too_many_parts",
                    "the multipart request has more parts than the server accepts", Map.of(), request);
        }
        return problem(HttpStatus.CONTENT_TOO_LARGE, "image_too_large",
                "the request body exceeds the configured upload limit", Map.of(), request);
    }

    /** Tomcat reports too many parts as a size limit; its exception's class name tells them apart. */
    private static boolean tooManyParts(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("FileCountLimit") || name.contains("PartCount")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e, HttpServletRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (cause != null && cause.getClass().getSimpleName().contains("SizeLimitExceeded")) {
            return tooLarge(null, request);
        }
        return problem(HttpStatus.BAD_REQUEST, "image_missing",
                "expected a multipart/form-data request with an 'image' part", Map.of(), request);
    }

    @ExceptionHandler({MethodArgumentNotValidException.class, HandlerMethodValidationException.class,
            ConstraintViolationException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class, HttpMessageNotReadableException.class})
    ResponseEntity<ProblemDetail> validation(Exception e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "validation_failed", validationDetail(e), Map.of(), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", e.getMessage(), Map.of(),
                request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage(), Map.of(), request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return problem(HttpStatus.NOT_FOUND, "not_found", "no such resource", Map.of(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "the server failed to process the request; its X-Request-Id finds it in the log", Map.of(), request);
    }

    private static String validationDetail(Exception e) {
        if (e instanceof MethodArgumentNotValidException m) {
            List<String> errors = m.getBindingResult().getFieldErrors().stream()
                    .map(f -> f.getField() + ": " + f.getDefaultMessage()).toList();
            return String.join("; ", errors);
        }
        if (e instanceof HandlerMethodValidationException h) {
            return h.getAllErrors().stream().map(err -> err.getDefaultMessage()).reduce((a, b) -> a + "; " + b)
                    .orElse("invalid request");
        }
        if (e instanceof MethodArgumentTypeMismatchException t) {
            return "parameter '" + t.getName() + "' has an invalid value";
        }
        if (e instanceof HttpMessageNotReadableException) {
            return "the request body is not valid JSON for this endpoint";
        }
        return e.getMessage();
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String code, String detail,
                                                 Map<String, Object> properties, HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setInstance(URI.create(request.getRequestURI()));
        body.setProperty("code", code);
        properties.forEach(body::setProperty);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        return new ResponseEntity<>(body, headers, status);
    }
}
