package dev.hydrastream.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * A reliability IT (crash, bounce, overload): tagged {@code reliability}, so it runs only under
 * {@code -Preliability} (and in {@code .ci/run}), and bounded to 40 minutes so that a hung cluster
 * fails the run instead of stalling it. One place for both, as JUnit's composed annotations allow.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("reliability")
@Timeout(value = 40, unit = TimeUnit.MINUTES)
public @interface ReliabilityTest {}
