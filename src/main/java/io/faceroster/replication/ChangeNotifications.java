package io.faceroster.replication;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN} on the change-log channel: one pooled connection held by a daemon thread that calls
 * {@code wake} whenever another replica committed a change. Only a shortcut: a lost connection is reopened
 * after a second, and polling catches up meanwhile. The driver's {@code PGConnection} is reached by reflection
 * (the driver is a run-time dependency).
 */
public final class ChangeNotifications implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangeNotifications.class);

    private final DataSource dataSource;
    private final Runnable wake;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection current;

    public ChangeNotifications(DataSource dataSource, String name, Runnable wake) {
        this.dataSource = dataSource;
        this.wake = wake;
        this.thread = new Thread(this::run, "change-listen-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                current = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + ChangeLog.CHANNEL);
                }
                Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
                Object pg = c.unwrap(pgConnection);
                Method poll = pgConnection.getMethod("getNotifications", int.class);
                wake.run();   // anything committed before LISTEN took effect
                while (running) {
                    Object[] got = (Object[]) poll.invoke(pg, 500);
                    if (got != null && got.length > 0) {
                        wake.run();
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("LISTEN {} lost ({}); polling covers until it is back", ChangeLog.CHANNEL, e.toString());
                    sleep();
                }
            } finally {
                current = null;
            }
        }
    }

    /** Drops the listening connection (tests: a replica that misses notifications). */
    public void dropConnection() {
        Connection c = current;
        if (c != null) {
            try {
                c.unwrap(Connection.class).close();
            } catch (Exception ignored) {
                // closing is all that was asked
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
