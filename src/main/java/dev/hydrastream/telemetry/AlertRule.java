package dev.hydrastream.telemetry;

import dev.hydrastream.schema.Severity;
import java.time.Duration;
import java.util.Map;

/**
 * One alert rule of the rules file, as written.
 *
 * @param id unique id (lower case, digits, '-', '_', '.'), the alert's {@code rule_id}
 * @param severity the alert's severity
 * @param description what the alert means, copied into each alert
 * @param condition CEL expression of type bool over {@code event} (a {@code PerceptionEvent})
 * @param holdFor how long the condition must hold on consecutive events of the vehicle before the
 *     rule fires (zero: fire on the first event); the {@code for} key
 * @param suppress after an alert, the rule stays quiet for this vehicle this long (event time)
 * @param evidence named CEL expressions over {@code event}, evaluated into the alert
 * @param line line of the rule in the file (1-based), for messages
 */
public record AlertRule(
    String id,
    Severity severity,
    String description,
    String condition,
    Duration holdFor,
    Duration suppress,
    Map<String, String> evidence,
    int line) {}
