package dev.hydrastream.streams.admin;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The least-privilege ACL set of the service, and the check at start that the service's principal
 * holds it: read on the topics the topology reads (camera.frames, vehicle.telemetry, and
 * perception.frames, which it also writes) and perception.control, write on the output,
 * dead-letter, perception.model-status and perception.shadow topics, all on the internal topics
 * (prefixed with {@code application.id}: changelogs and repartition topics, created and trimmed by
 * Kafka Streams), read on the consumer group and write on the transactional ids (both prefixed with
 * {@code application.id}; transactional ids only under exactly-once), and create on the named
 * topics only with {@code topic.create=true}. Nothing on the cluster: since Kafka 3.0 an idempotent
 * producer needs write on a topic, not IdempotentWrite (KIP-679).
 */
public final class ServiceAcls {

  private ServiceAcls() {}

  /** One permission: an operation on a resource (literal name or name prefix). */
  public record Permission(AclOperation operation, ResourcePattern resource) {
    @Override
    public String toString() {
      return operation
          + " on "
          + resource.resourceType()
          + (resource.patternType() == PatternType.PREFIXED ? " prefixed " : " ")
          + resource.name();
    }
  }

  /** The permissions the service needs with {@code settings}. */
  public static List<Permission> required(Settings settings) {
    Topics topics = Topics.of(settings);
    String app = settings.getString(Settings.APPLICATION_ID);
    List<Permission> out = new ArrayList<>();
    Access access = access(settings);
    access.reads().forEach(t -> out.add(literal(AclOperation.READ, ResourceType.TOPIC, t)));
    access.writes().forEach(t -> out.add(literal(AclOperation.WRITE, ResourceType.TOPIC, t)));
    if (settings.getBoolean(Settings.TOPIC_CREATE)) {
      for (Topics.Topic<?, ?> t : topics.all()) {
        out.add(literal(AclOperation.CREATE, ResourceType.TOPIC, t.name()));
      }
    }
    out.add(prefixed(AclOperation.ALL, ResourceType.TOPIC, app));
    out.add(prefixed(AclOperation.READ, ResourceType.GROUP, app));
    if (exactlyOnce(settings)) {
      out.add(prefixed(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, app));
    }
    return out;
  }

  /** The named topics the service reads and writes (internal topics aside). */
  record Access(Set<String> reads, Set<String> writes) {}

  /**
   * Read from the topology's sources, written to its sinks and the dead-letter topic: the topology
   * says which topics it uses (perception.frames is both written and read back, by the events and
   * the latest-frame store), so this set follows it.
   */
  static Access access(Settings settings) {
    Topics topics = Topics.of(settings);
    Set<String> named = new TreeSet<>();
    topics.all().forEach(t -> named.add(t.name()));
    Topology topology =
        PerceptionTopology.build(
            settings,
            () -> {
              throw new IllegalStateException("described only");
            });
    // Every instance reads the whole control topic and reports on the status topic (plain
    // clients beside the topology, outside the group).
    Set<String> reads = new TreeSet<>(Set.of(topics.control().name()));
    // perception.shadow whether or not a shadow runs now: shadow.model is set without new ACLs.
    Set<String> writes =
        new TreeSet<>(
            Set.of(topics.dlq().name(), topics.modelStatus().name(), topics.shadow().name()));
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      for (TopologyDescription.Node n : sub.nodes()) {
        if (n instanceof TopologyDescription.Source src && src.topicSet() != null) {
          src.topicSet().stream().filter(named::contains).forEach(reads::add);
        }
        if (n instanceof TopologyDescription.Sink sink && named.contains(sink.topic())) {
          writes.add(sink.topic());
        }
      }
    }
    for (TopologyDescription.GlobalStore g : topology.describe().globalStores()) {
      g.source().topicSet().stream().filter(named::contains).forEach(reads::add);
    }
    return new Access(reads, writes);
  }

  /** The ACL bindings that grant {@link #required} to {@code principal} (e.g. User:perception). */
  public static List<AclBinding> bindings(Settings settings, String principal) {
    return required(settings).stream()
        .map(
            p ->
                new AclBinding(
                    p.resource(),
                    new AccessControlEntry(principal, "*", p.operation(), AclPermissionType.ALLOW)))
        .toList();
  }

  /**
   * Fails naming every permission of {@link #required} the client's principal lacks, as far as the
   * brokers let a client find out without side effects (authorized operations of the topics and the
   * group, a validate-only topic creation, a transaction description). A cluster without an
   * authorizer passes.
   */
  static void requireAccess(Admin admin, Settings settings, Set<String> existing, long timeoutMs)
      throws InterruptedException {
    Topics topics = Topics.of(settings);
    String app = settings.getString(Settings.APPLICATION_ID);
    List<String> missing = new ArrayList<>();
    Access access = access(settings);
    List<String> named = topics.all().stream().map(Topics.Topic::name).toList();
    Map<String, KafkaFuture<TopicDescription>> described =
        admin
            .describeTopics(named, new DescribeTopicsOptions().includeAuthorizedOperations(true))
            .topicNameValues();
    for (String name : named) {
      List<AclOperation> needed = new ArrayList<>();
      if (access.reads().contains(name)) {
        needed.add(AclOperation.READ);
      }
      if (access.writes().contains(name)) {
        needed.add(AclOperation.WRITE);
      }
      try {
        Set<AclOperation> ops =
            described.get(name).get(timeoutMs, TimeUnit.MILLISECONDS).authorizedOperations();
        for (AclOperation op : needed) {
          if (ops != null && !ops.contains(op)) {
            missing.add(literal(op, ResourceType.TOPIC, name).toString());
          }
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthorizationException) {
          needed.forEach(op -> missing.add(literal(op, ResourceType.TOPIC, name).toString()));
        } else if (settings.getBoolean(Settings.TOPIC_CREATE) && !existing.contains(name)) {
          denied(
                  admin
                      .createTopics(
                          List.of(new NewTopic(name, Optional.empty(), Optional.empty())),
                          new CreateTopicsOptions().validateOnly(true))
                      .all(),
                  timeoutMs)
              .ifPresent(
                  x ->
                      missing.add(
                          literal(AclOperation.CREATE, ResourceType.TOPIC, name).toString()));
        }
      } catch (TimeoutException e) {
        // Unanswered: the start goes on and Kafka Streams reports what fails.
      }
    }
    String probe = app + "-hydra-access-check";
    denied(
            admin
                .createTopics(
                    List.of(new NewTopic(probe, Optional.empty(), Optional.empty())),
                    new CreateTopicsOptions().validateOnly(true))
                .all(),
            timeoutMs)
        .ifPresent(
            x -> missing.add(prefixed(AclOperation.ALL, ResourceType.TOPIC, app).toString()));
    try {
      Set<AclOperation> ops =
          admin
              .describeConsumerGroups(
                  List.of(app),
                  new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
              .all()
              .get(timeoutMs, TimeUnit.MILLISECONDS)
              .get(app)
              .authorizedOperations();
      if (ops != null && !ops.contains(AclOperation.READ)) {
        missing.add(prefixed(AclOperation.READ, ResourceType.GROUP, app).toString());
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        missing.add(prefixed(AclOperation.READ, ResourceType.GROUP, app).toString());
      }
    } catch (TimeoutException e) {
      // as above
    }
    if (exactlyOnce(settings)) {
      denied(admin.describeTransactions(List.of(probe)).all(), timeoutMs)
          .ifPresent(
              x ->
                  missing.add(
                      prefixed(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, app).toString()));
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the service's Kafka principal is not authorized: it lacks "
              + String.join(", ", missing)
              + " (docs/reliability.md \"Security\" lists the least-privilege ACL set;"
              + " `kafka-acls.sh --add --allow-principal User:NAME --operation OP --topic NAME`)");
    }
  }

  /** The authorization failure of {@code call}, if it failed with one. */
  private static Optional<AuthorizationException> denied(KafkaFuture<?> call, long timeoutMs)
      throws InterruptedException {
    try {
      call.get(timeoutMs, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return e.getCause() instanceof AuthorizationException a ? Optional.of(a) : Optional.empty();
    } catch (TimeoutException e) {
      return Optional.empty();
    }
  }

  private static boolean exactlyOnce(Settings settings) {
    return settings.getString(Settings.PROCESSING_GUARANTEE).startsWith("exactly_once");
  }

  private static Permission literal(AclOperation op, ResourceType type, String name) {
    return new Permission(op, new ResourcePattern(type, name, PatternType.LITERAL));
  }

  private static Permission prefixed(AclOperation op, ResourceType type, String prefix) {
    return new Permission(op, new ResourcePattern(type, prefix, PatternType.PREFIXED));
  }
}
