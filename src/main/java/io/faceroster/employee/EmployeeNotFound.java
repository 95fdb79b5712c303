package io.faceroster.employee;

import io.faceroster.DomainException;

/** No employee with that id ({@code employee_not_found}). */
public class EmployeeNotFound extends DomainException {

    public EmployeeNotFound(String employeeId) {
        super("employee_not_found", "no employee '" + employeeId + "'");
    }
}
