package com.acme.billing.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The adapters of {@link ScopedTargets} on real step-scoped beans: each step execution (each partition, each restart)
 * reads through its own target, resolved when the step opens its streams, never one kept from an earlier execution.
 */
class ScopedTargetsTest {

    /** A reader of the letters of its step execution's {@code text}, as a partition's reader reads its own file. */
    static class LettersReader implements ItemStreamReader<String> {

        final String text;
        int at;
        boolean closed;

        LettersReader(String text) {
            this.text = text;
        }

        @Override
        public void open(ExecutionContext context) {
            at = context.getInt("at", 0);
        }

        @Override
        public String read() {
            return at < text.length() ? String.valueOf(text.charAt(at++)) : null;
        }

        @Override
        public void update(ExecutionContext context) {
            context.putInt("at", at);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        static org.springframework.batch.core.scope.StepScope stepScope() {
            return new org.springframework.batch.core.scope.StepScope();
        }

        @Bean
        @StepScope
        LettersReader lettersReader(@Value("#{stepExecutionContext['text']}") String text) {
            return new LettersReader(text);
        }

        @Bean
        @StepScope
        ItemProcessor<String, String> suffixer(@Value("#{stepExecutionContext['suffix']}") String suffix) {
            return item -> item + suffix;
        }
    }

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Beans.class);
    private long nextId = 1;

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void eachStepExecutionReadsAndProcessesThroughItsOwnTargets() throws Exception {
        @SuppressWarnings("unchecked")
        ItemStreamReader<String> scopedReader = context.getBean("lettersReader", ItemStreamReader.class);
        @SuppressWarnings("unchecked")
        ItemProcessor<String, String> scopedProcessor = context.getBean("suffixer", ItemProcessor.class);
        assertThat(scopedReader).isInstanceOf(ScopedObject.class);
        ItemStreamReader<String> reader = ScopedTargets.reader(scopedReader);
        ItemProcessor<String, String> processor = ScopedTargets.processor(scopedProcessor);

        assertThat(run(reader, processor, "abc", "-1", new ExecutionContext())).containsExactly("a-1", "b-1", "c-1");
        assertThat(run(reader, processor, "xy", "-2", new ExecutionContext())).containsExactly("x-2", "y-2");

        // A restart: the new execution's context holds where the reader stood at its last commit.
        ExecutionContext restarted = new ExecutionContext();
        restarted.putInt("at", 2);
        assertThat(run(reader, processor, "pqrs", "-3", restarted)).containsExactly("r-3", "s-3");
    }

    @Test
    void aClosedAdapterHoldsNoTarget() throws Exception {
        @SuppressWarnings("unchecked")
        ItemStreamReader<String> reader = ScopedTargets.reader(context.getBean("lettersReader", ItemStreamReader.class));
        StepExecution step = stepExecution("abc", "-1", new ExecutionContext());
        StepSynchronizationManager.register(step);
        LettersReader target;
        try {
            reader.open(step.getExecutionContext());
            target = (LettersReader) ((ScopedObject) context.getBean("lettersReader")).getTargetObject();
            assertThat(reader.read()).isEqualTo("a");
            reader.close();
        } finally {
            StepSynchronizationManager.close();
        }
        assertThat(target.closed).isTrue();
        assertThatThrownBy(reader::read).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anAdapterOpenedTwiceBeforeClosingRefuses() {
        ItemStreamReader<String> reader = ScopedTargets.reader(new LettersReader("ab"));
        ItemProcessor<String, String> processor = ScopedTargets.processor(item -> item);
        reader.open(new ExecutionContext());
        ((ItemStream) processor).open(new ExecutionContext());
        assertThatThrownBy(() -> reader.open(new ExecutionContext())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one step execution at a time");
        assertThatThrownBy(() -> ((ItemStream) processor).open(new ExecutionContext())).isInstanceOf(IllegalStateException.class);
        reader.close();
        ((ItemStream) processor).close();
        reader.open(new ExecutionContext());
        ((ItemStream) processor).open(new ExecutionContext());
    }

    @Test
    void aBeanWithoutScopeIsCalledAsItIs() throws Exception {
        LettersReader plain = new LettersReader("ok");
        ItemStreamReader<String> reader = ScopedTargets.reader(plain);
        reader.open(new ExecutionContext());
        assertThat(reader.read()).isEqualTo("o");
        reader.close();
        assertThat(plain.closed).isTrue();
    }

    /** What a chunk step does with its streams for one step execution: open, read and process every item, update, close. */
    private List<String> run(ItemStreamReader<String> reader, ItemProcessor<String, String> processor, String text, String suffix,
            ExecutionContext saved) throws Exception {
        StepExecution step = stepExecution(text, suffix, saved);
        StepSynchronizationManager.register(step);
        try {
            reader.open(step.getExecutionContext());
            ((ItemStream) processor).open(step.getExecutionContext());
            List<String> out = new ArrayList<>();
            for (String item = reader.read(); item != null; item = reader.read()) {
                out.add(processor.process(item));
            }
            reader.update(step.getExecutionContext());
            reader.close();
            ((ItemStream) processor).close();
            return out;
        } finally {
            StepSynchronizationManager.close();
        }
    }

    private StepExecution stepExecution(String text, String suffix, ExecutionContext saved) {
        long id = nextId++;
        JobExecution job = new JobExecution(id, new JobInstance(id, "job"), new JobParameters());
        StepExecution step = new StepExecution(id, "step", job);
        ExecutionContext context = new ExecutionContext(saved);
        context.putString("text", text);
        context.putString("suffix", suffix);
        step.setExecutionContext(context);
        return step;
    }
}
