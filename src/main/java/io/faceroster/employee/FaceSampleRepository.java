package io.faceroster.employee;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface FaceSampleRepository extends JpaRepository<FaceSample, UUID> {

    List<FaceSample> findByEmployeeOrderByCreatedAt(Employee employee);

    Optional<FaceSample> findByIdAndEmployee(UUID id, Employee employee);

    long countByEmployee(Employee employee);

    @Modifying
    @Query("delete from FaceSample f where f.employee = ?1")
    int deleteByEmployee(Employee employee);

    @Query("select f from FaceSample f join fetch f.employee")
    Stream<FaceSample> streamAll();
}
