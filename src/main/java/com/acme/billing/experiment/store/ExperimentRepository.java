package com.acme.billing.experiment.store;

import com.acme.billing.experiment.Experiment;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Stored experiments (their definition as canonical JSON) and the recorded assignments. */
@Repository
public class ExperimentRepository {

    /** A user's place in an experiment. */
    public record Assignment(String experimentId, String userId, String variant, Instant exposedAt) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public ExperimentRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    public static String canonical(Experiment experiment) {
        return JSON.writeValueAsString(experiment);
    }

    public List<Experiment> all() {
        return jdbc.sql("SELECT definition FROM experiments ORDER BY start_at, experiment_id").query(String.class).list().stream()
                .map(json -> JSON.readValue(json, Experiment.class)).toList();
    }

    public Optional<Experiment> find(String id) {
        return jdbc.sql("SELECT definition FROM experiments WHERE experiment_id = ?").param(id).query(String.class).optional()
                .map(json -> JSON.readValue(json, Experiment.class));
    }

    public void insert(Experiment experiment, String source, Instant now) {
        jdbc.sql("INSERT INTO experiments (experiment_id, start_at, end_at, definition, source, imported_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(experiment.id(), utc(experiment.start()), utc(experiment.end()), canonical(experiment), source, utc(now)).update();
    }

    /**
     * Records the users first seen in the experiment's window (their first subscription change falls in
     * {@code [start, end)}) and not recorded yet, each with the variant of the SHA-256 rule. Idempotent.
     *
     * @return how many were recorded now
     */
    public int recordAssignments(Experiment experiment, Instant now) {
        List<Object[]> rows = unrecorded(experiment).stream()
                .map(a -> new Object[] {a.experimentId(), a.userId(), a.variant(), utc(a.exposedAt()), utc(now)}).toList();
        for (int from = 0; from < rows.size(); from += 1000) {
            template.batchUpdate("INSERT INTO experiment_assignments (experiment_id, user_id, variant, exposed_at, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    rows.subList(from, Math.min(rows.size(), from + 1000)));
        }
        return rows.size();
    }

    /** The users first seen in the experiment's window and not recorded yet, with their variant. */
    public List<Assignment> unrecorded(Experiment experiment) {
        List<Assignment> found = new ArrayList<>();
        jdbc.sql("SELECT c.user_id, MIN(c.effective_at) FROM subscription_changes c "
                + "WHERE NOT EXISTS (SELECT 1 FROM experiment_assignments a WHERE a.experiment_id = ? AND a.user_id = c.user_id) "
                + "GROUP BY c.user_id HAVING MIN(c.effective_at) >= ? AND MIN(c.effective_at) < ?")
                .params(experiment.id(), utc(experiment.start()), utc(experiment.end()))
                .query(rs -> {
                    String user = rs.getString(1);
                    found.add(new Assignment(experiment.id(), user, experiment.variantOf(user).name(), rs.getObject(2, OffsetDateTime.class).toInstant()));
                });
        return found;
    }

    /** user -> assignment, over every experiment. */
    public Map<String, Assignment> assignments() {
        Map<String, Assignment> byUser = new HashMap<>();
        jdbc.sql("SELECT experiment_id, user_id, variant, exposed_at FROM experiment_assignments").query(rs -> {
            byUser.put(rs.getString(2), new Assignment(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getObject(4, OffsetDateTime.class).toInstant()));
        });
        return byUser;
    }

    public List<Assignment> assignments(String experimentId) {
        return jdbc.sql("SELECT experiment_id, user_id, variant, exposed_at FROM experiment_assignments WHERE experiment_id = ? ORDER BY user_id")
                .param(experimentId)
                .query((rs, n) -> new Assignment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
