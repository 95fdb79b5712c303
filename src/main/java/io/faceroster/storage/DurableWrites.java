package io.faceroster.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Makes every acknowledged write durable before the first request is served (issue 10, item 3). H2 delays writing a
 * commit to its file by 500 ms by default ({@code WRITE_DELAY}): an erasure answered 200 and then {@code kill -9}
 * came back after a restart. Whatever URL an operator configures, H2 is switched to {@code WRITE_DELAY 0} (a
 * persistent database setting), so each commit is in the file before the transaction returns. PostgreSQL is
 * durable with its defaults ({@code synchronous_commit=on}, {@code fsync=on}); a server configured otherwise is
 * reported at start-up. docs/hardening.md says what each database guarantees.
 */
@Component
public class DurableWrites implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DurableWrites.class);

    private static final Pattern URL_WRITE_DELAY = Pattern.compile("(?i);WRITE_DELAY=(\\d+)");

    private final DataSource dataSource;
    private final String configuredUrl;

    /** @param configuredUrl {@code spring.datasource.url} as configured (the driver's metadata drops its settings) */
    public DurableWrites(DataSource dataSource, @Value("${spring.datasource.url:}") String configuredUrl) {
        this.dataSource = dataSource;
        this.configuredUrl = configuredUrl;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                Matcher delay = URL_WRITE_DELAY.matcher(configuredUrl);
                if (delay.find() && Long.parseLong(delay.group(1)) != 0) {
                    // H2 applies URL settings on every new connection, to the whole database: each connection the pool
                    // opens later would undo the SET below.
                    throw new IllegalStateException("the H2 URL sets WRITE_DELAY=" + delay.group(1) + ": writes would"
                            + " be acknowledged before they are in the database file; remove it or set WRITE_DELAY=0");
                }
                s.execute("SET WRITE_DELAY 0");
                log.info("H2: WRITE_DELAY 0, every commit is written to the database file before it is acknowledged");
            } else if (product.contains("postgres")) {
                for (String setting : new String[] {"synchronous_commit", "fsync"}) {
                    String value = show(s, setting);
                    if (!"on".equalsIgnoreCase(value) && !"remote_apply".equalsIgnoreCase(value)
                            && !"remote_write".equalsIgnoreCase(value)) {
                        log.warn("PostgreSQL {} = {}: an acknowledged change can be lost in a crash; set it to on"
                                + " (docs/hardening.md)", setting, value);
                    }
                }
            }
        }
    }

    /**
     * H2's largest WRITE_DELAY in force in milliseconds, of the database and of a new connection; -1 for another
     * database.
     */
    public long h2WriteDelay() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (!c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
                return -1;
            }
            try (ResultSet r = s.executeQuery(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                long max = -1;
                while (r.next()) {
                    max = Math.max(max, Long.parseLong(r.getString(1)));
                }
                return max;
            }
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW " + setting)) {
            return r.next() ? r.getString(1) : "";
        }
    }
}
