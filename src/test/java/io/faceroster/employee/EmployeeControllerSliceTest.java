package io.faceroster.employee;

import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.faceroster.audit.AuditLog;
import io.faceroster.privacy.PrivacyProperties;
import io.faceroster.replication.ChangeLog;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creating an employee with a bad id or body, and a page too large, in a web slice (the controller and the problem
 * advice; no model, no database): each is one 400 {@code validation_failed} problem without a stack trace, and
 * nothing reaches the repository.
 */
@WebMvcTest(controllers = EmployeeController.class)
@AutoConfigureMockMvc(addFilters = false)
class EmployeeControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    EmployeeRepository employees;
    @MockitoBean
    FaceSampleRepository faces;
    @MockitoBean
    Erasure erasure;
    @MockitoBean
    AuditLog audit;
    @MockitoBean
    PrivacyProperties privacy;
    @MockitoBean
    GalleryTransaction writes;
    @MockitoBean
    EmployeeLocks locks;
    @MockitoBean
    TransactionTemplate tx;
    @MockitoBean
    Clock clock;
    @MockitoBean
    ChangeLog changeLog;

    @ParameterizedTest
    @ValueSource(strings = {"{\"employeeId\":\"has space\",\"displayName\":\"x\"}",
            "{\"employeeId\":\"..\",\"displayName\":\"x\"}",
            "{\"employeeId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"displayName\":\"x\"}",
            "{\"employeeId\":\"ok\",\"displayName\":\"\"}",
            "{\"employeeId\":\"ok\",\"displayName\":\"x\",\"consent\":{\"reference\":\"\"}}",
            "{\"employeeId\":\"ok\"", "not json"})
    void aBadCreationIsOneValidationProblem(String body) throws Exception {
        mvc.perform(post("/api/v1/employees").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.code").value("validation_failed"))
                .andExpect(content().string(not(containsString("Exception"))))
                .andExpect(content().string(not(containsString("at io."))));
        org.mockito.Mockito.verifyNoInteractions(employees);
    }

    @Test
    void aPageLargerThanTheLimitIsAValidationProblem() throws Exception {
        mvc.perform(get("/api/v1/employees").param("size", "1000"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"));
    }
}
