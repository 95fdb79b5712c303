package io.faceroster.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process half of issue 10 item 3: H2 acknowledges a commit only once it is in the database file. */
class DurableWritesTest {

    @TempDir
    Path dir;

    /** As the connection pool keeps it: the database stays open between connections. */
    private DurableWrites durable(String options) {
        JdbcDataSource h2 = new JdbcDataSource();
        String url = "jdbc:h2:file:" + dir.resolve("db") + options;
        h2.setURL(url + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return new DurableWrites(h2, url);
    }

    @Test
    void h2IsSwitchedToWriteEveryCommitAtStart() throws Exception {
        DurableWrites durable = durable(";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(durable.h2WriteDelay()).isEqualTo(500);   // H2's default
        durable.afterPropertiesSet();
        assertThat(durable.h2WriteDelay()).isZero();
    }

    @Test
    void anH2UrlThatDelaysWritesIsRefused() {
        DurableWrites durable = durable(";WRITE_DELAY=500");
        assertThatThrownBy(durable::afterPropertiesSet).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WRITE_DELAY=500");
    }

    @Test
    void theDefaultUrlWritesEveryCommit() throws Exception {
        DurableWrites durable = durable(";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        durable.afterPropertiesSet();
        assertThat(durable.h2WriteDelay()).isZero();
    }
}
