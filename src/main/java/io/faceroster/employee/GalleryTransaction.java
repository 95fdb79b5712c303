package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way the gallery changes (enrolment, rename, face deletion, erasure): against the active (model, support
 * set) pair, so that a model switch cannot fall in between; under the employee's lock, so that an enrolment and an
 * erasure of one employee cannot interleave; the database work in one transaction; and the in-memory support set
 * only after that transaction has committed.
 */
@Component
public class GalleryTransaction {

    private final Recognizer recognizer;
    private final EmployeeLocks locks;
    private final TransactionTemplate tx;

    GalleryTransaction(Recognizer recognizer, EmployeeLocks locks, TransactionTemplate tx) {
        this.recognizer = recognizer;
        this.locks = locks;
        this.tx = tx;
    }

    /**
     * Runs {@code database} in a transaction, then, once committed, {@code supportSet} with its result (skipped when
     * the result is null: nothing changed). Exceptions from {@code database} roll the transaction back and leave the
     * support set alone.
     *
     * @return what {@code database} returned
     */
    public <T> T write(String employeeId, Function<Recognizer.Active, T> database, BiConsumer<SupportSet, T> supportSet) {
        return recognizer.whileActive(active -> locks.with(employeeId, () -> {
            T committed = tx.execute(status -> database.apply(active));
            if (committed != null) {
                supportSet.accept(active.supportSet(), committed);
            }
            return committed;
        }));
    }
}
