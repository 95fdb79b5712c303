package io.faceroster.audit;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The audit endpoint's request validation and its problem answers, in a web slice: the controller and the problem
 * advice only (no model, no database, no key filter), where a full service context would only check the same.
 */
@WebMvcTest(controllers = AuditController.class)
@AutoConfigureMockMvc(addFilters = false)
class AuditControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AuditEventRepository events;

    @Test
    void aNegativePageIsAValidationProblem() throws Exception {
        mvc.perform(get("/api/v1/admin/audit").param("page", "-1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.code").value("validation_failed"));
    }

    @Test
    void aPageBeyondTheIntRangeIsAValidationProblem() throws Exception {
        mvc.perform(get("/api/v1/admin/audit").param("page", "2147483647").param("size", "200"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"));
    }

    @Test
    void anUnknownActionIsAValidationProblemNamingTheKnownOnes() throws Exception {
        mvc.perform(get("/api/v1/admin/audit").param("action", "teleport"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"))
                .andExpect(jsonPath("$.detail").value(containsString("enrol")));
    }

    @Test
    void aMalformedInstantIsAValidationProblem() throws Exception {
        mvc.perform(get("/api/v1/admin/audit").param("from", "yesterday"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"));
    }
}
