package com.acme.billing.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Ingest runs, their files, and the register of ingested files (by SHA-256). */
@Repository
public class IngestRunRepository {

    public record RunFile(long id, long runId, int seq, long fileId, String path, String fileName, String sha256,
            UsageFileFormat format, long sizeBytes, long totalLines, long dataLines, String status, Long accepted, Long duplicates, Long rejected) {
    }

    public record IngestedFile(String sha256, long fileId, String fileName, long dataLines, long accepted, long duplicates,
            long rejected, String rejectsFile) {
    }

    private final JdbcClient jdbc;

    public IngestRunRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long createRun(boolean fromInbox, Instant now) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO ingest_runs (from_inbox, created_at) VALUES (?, ?)")
                .params(fromInbox, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update(keys, "run_id");
        return keys.getKey().longValue();
    }

    public boolean fromInbox(long runId) {
        return jdbc.sql("SELECT from_inbox FROM ingest_runs WHERE run_id = ?").param(runId).query(Boolean.class).single();
    }

    /** The event-store number of a file content, the same for every run that takes it. */
    public long fileIdFor(String sha256) {
        Optional<Long> known = jdbc.sql("SELECT file_id FROM event_files WHERE sha256 = ?").param(sha256).query(Long.class).optional();
        if (known.isPresent()) {
            return known.get();
        }
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO event_files (sha256) VALUES (?)").param(sha256).update(keys, "file_id");
        return keys.getKey().longValue();
    }

    public void addFile(long runId, int seq, long fileId, String path, String fileName, String sha256, UsageFileFormat format,
            long sizeBytes, long totalLines, long dataLines) {
        jdbc.sql("INSERT INTO ingest_run_files (run_id, seq, file_id, path, file_name, sha256, format, size_bytes, total_lines, "
                + "data_lines, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')")
                .params(runId, seq, fileId, path, fileName, sha256, format.name(), sizeBytes, totalLines, dataLines)
                .update();
    }

    public List<RunFile> files(long runId) {
        return jdbc.sql("SELECT id, run_id, seq, file_id, path, file_name, sha256, format, size_bytes, total_lines, data_lines, "
                + "status, accepted, duplicates, rejected FROM ingest_run_files WHERE run_id = ? ORDER BY seq")
                .param(runId)
                .query((rs, n) -> new RunFile(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), UsageFileFormat.valueOf(rs.getString(8)), rs.getLong(9), rs.getLong(10),
                        rs.getLong(11), rs.getString(12), rs.getObject(13, Long.class), rs.getObject(14, Long.class),
                        rs.getObject(15, Long.class)))
                .list();
    }

    public RunFile file(long runFileId) {
        return jdbc.sql("SELECT run_id FROM ingest_run_files WHERE id = ?").param(runFileId).query(Long.class).optional()
                .flatMap(runId -> files(runId).stream().filter(f -> f.id() == runFileId).findFirst())
                .orElseThrow();
    }

    public void markFile(long runFileId, String status, long accepted, long duplicates, long rejected) {
        jdbc.sql("UPDATE ingest_run_files SET status = ?, accepted = ?, duplicates = ?, rejected = ? WHERE id = ?")
                .params(status, accepted, duplicates, rejected, runFileId).update();
    }

    /** Runs (other than this one) that hold this content and have not finished it. */
    public List<Long> unfinishedRunsWith(String sha256) {
        return jdbc.sql("SELECT DISTINCT run_id FROM ingest_run_files WHERE sha256 = ? AND status = 'pending' ORDER BY run_id")
                .param(sha256).query(Long.class).list();
    }

    public Optional<IngestedFile> ingested(String sha256) {
        return jdbc.sql("SELECT sha256, file_id, file_name, data_lines, accepted, duplicates, rejected, rejects_file "
                + "FROM ingested_files WHERE sha256 = ?")
                .param(sha256)
                .query((rs, n) -> new IngestedFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getString(8)))
                .optional();
    }

    public void recordIngested(RunFile file, long dataLines, long accepted, long duplicates, long rejected, String rejectsFile,
            Instant now) {
        jdbc.sql("INSERT INTO ingested_files (sha256, file_id, file_name, format, size_bytes, data_lines, accepted, duplicates, "
                + "rejected, rejects_file, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(file.sha256(), file.fileId(), file.fileName(), file.format().name(), file.sizeBytes(), dataLines, accepted,
                        duplicates, rejected, rejectsFile, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update();
    }

    /** The rejects files recorded for other contents ingested under the same file name (see RejectsFile.pathFor). */
    public List<String> rejectsFilesOfOtherContents(String fileName, String sha256) {
        return jdbc.sql("SELECT rejects_file FROM ingested_files WHERE file_name = ? AND sha256 <> ? AND rejects_file IS NOT NULL")
                .params(fileName, sha256).query(String.class).list();
    }
}
