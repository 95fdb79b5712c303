package io.faceroster.employee;

import io.faceroster.identify.EmployeeDirectory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The employee table as identify's {@link EmployeeDirectory}. */
@Component
class EmployeeDirectoryAdapter implements EmployeeDirectory {

    private final EmployeeRepository employees;

    EmployeeDirectoryAdapter(EmployeeRepository employees) {
        this.employees = employees;
    }

    @Override
    @Transactional(readOnly = true)
    public void requireExists(String employeeId) {
        employees.require(employeeId);
    }
}
