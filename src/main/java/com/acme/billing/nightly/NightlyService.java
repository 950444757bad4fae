package com.acme.billing.nightly;

import com.acme.billing.platform.JobRunner;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * {@code nightly}: one run of the job per call, identified by the day (UTC) and a run number (completed
 * runs of that day plus one): a nightly that failed is resumed by the next call of the same day, or by
 * {@code restart ID}; two started at once are the same instance and Spring Batch refuses the second.
 */
@Service
public class NightlyService {

    private final JobRunner jobRunner;
    private final Job nightlyJob;
    private final Clock clock;

    public NightlyService(JobRunner jobRunner, @Qualifier("nightlyJob") Job nightlyJob, Clock clock) {
        this.jobRunner = jobRunner;
        this.nightlyJob = nightlyJob;
        this.clock = clock;
    }

    public JobExecution run() {
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        return jobRunner.start(nightlyJob, new JobParametersBuilder()
                .addString("day", day)
                .addLong("run", jobRunner.nextRun(NightlyJobConfig.JOB_NAME, "day", day))
                .toJobParameters());
    }
}
