package io.faceroster.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Says loudly, at the end of a test run, which tests were skipped and why: the model-quality and walk-through tests
 * need the face sets beside the project ({@code ../shared/data}) and skip without them, which must not go unnoticed
 * in CI. Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkippedTestsSummary implements TestExecutionListener {

    private final List<String> skipped = new CopyOnWriteArrayList<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        skipped.add(name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            skipped.add(name(test) + ": " + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (skipped.isEmpty()) {
            return;
        }
        StringBuilder banner = new StringBuilder("\n").append("=".repeat(100)).append('\n')
                .append("SKIPPED: ").append(skipped.size()).append(" test(s) did not run; their figures are NOT checked:\n");
        skipped.forEach(s -> banner.append("  - ").append(s).append('\n'));
        banner.append("=".repeat(100));
        System.err.println(banner);
    }

    private static String name(TestIdentifier test) {
        return test.getLegacyReportingName() + " " + test.getUniqueId().replaceAll(".*\\[class:([^\\]]*)\\].*", "$1");
    }
}
