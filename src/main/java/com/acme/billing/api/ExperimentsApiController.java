package com.acme.billing.api;

import com.acme.billing.experiment.store.ExperimentResults;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/experiments/{id}}: what {@code experiment-results ID --json} prints (SPEC 9). */
@RestController
class ExperimentsApiController {

    private final ExperimentResults results;

    ExperimentsApiController(ExperimentResults results) {
        this.results = results;
    }

    @GetMapping("/api/experiments/{id}")
    ExperimentResults.Results experiment(@PathVariable("id") String id) {
        return results.of(id).orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "no experiment '" + id + "'"));
    }
}
