package io.faceroster.employee;

import java.util.List;

/**
 * Something outside the employee store that may hold an employee's face data and must drop it when the
 * employee is erased (a running training job does), or knows where traces remain (model versions trained with
 * their faces). Says what it did and found, for the erasure receipt.
 */
public interface ErasureHook {

    /** What a hook removed the employee from, and where their data still shapes something. */
    record Result(List<String> removedFrom, List<String> traces) {
    }

    Result employeeErased(String employeeId);
}
