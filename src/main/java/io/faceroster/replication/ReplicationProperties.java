package io.faceroster.replication;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code faceroster.replication.*}: how a replica follows the support-set change log.
 *
 * @param replicaId          this replica's name in the {@code replica} table and erasure receipts (default: host
 *                           name plus a random suffix, new at each start)
 * @param pollInterval       how often the log is read without a notification (the only wake-up on H2)
 * @param listen             on PostgreSQL, also wake up on {@code LISTEN/NOTIFY} (false: polling only)
 * @param heartbeatInterval  how often the replica row is refreshed when nothing was applied
 * @param replicaTimeout     a replica whose heartbeat is older is dead: pruning no longer waits for it
 * @param pruneInterval      how often a replica prunes rows every live replica has applied
 * @param erasureConfirmWait how long an erasure waits for the other live replicas before saying "pending"
 */
@ConfigurationProperties("faceroster.replication")
public record ReplicationProperties(String replicaId, Duration pollInterval, Boolean listen,
                                    Duration heartbeatInterval, Duration replicaTimeout, Duration pruneInterval,
                                    Duration erasureConfirmWait) {

    public ReplicationProperties {
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        listen = listen == null ? Boolean.TRUE : listen;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(2) : heartbeatInterval;
        replicaTimeout = replicaTimeout == null ? Duration.ofSeconds(30) : replicaTimeout;
        pruneInterval = pruneInterval == null ? Duration.ofSeconds(30) : pruneInterval;
        erasureConfirmWait = erasureConfirmWait == null ? Duration.ofSeconds(1) : erasureConfirmWait;
    }
}
