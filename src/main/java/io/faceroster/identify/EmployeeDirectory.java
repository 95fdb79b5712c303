package io.faceroster.identify;

/**
 * What identify needs to know of the employees beyond the support set: whether an id names an employee at all (one
 * without faces is not in the support set). Implemented by the employee feature, which depends on this package and
 * not the other way round.
 */
public interface EmployeeDirectory {

    /** Returns quietly when {@code employeeId} names an employee; otherwise throws its domain refusal. */
    void requireExists(String employeeId);
}
