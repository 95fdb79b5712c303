package io.faceroster.employee;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Serialises the database change and the in-memory support-set update of one employee, so an enrolment
 * that commits just before an erasure cannot put the erased employee back into the index afterwards, and a
 * rename cannot be overwritten by an older name. Striped: a fixed set of locks, no per-employee state.
 * Always taken inside {@code Recognizer.whileActive}, never the other way round.
 */
@Component
class EmployeeLocks {

    private static final int STRIPES = 64;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    EmployeeLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T with(String employeeId, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(employeeId.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
