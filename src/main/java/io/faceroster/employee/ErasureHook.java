package io.faceroster.employee;

import java.util.Optional;

/**
 * Something outside the employee store that may hold an employee's face data and must drop it when the
 * employee is erased (a running training job does). Says what it did, for the erasure receipt.
 */
public interface ErasureHook {

    Optional<String> employeeErased(String employeeId);
}
