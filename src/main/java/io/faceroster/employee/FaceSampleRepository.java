package io.faceroster.employee;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;
import jakarta.persistence.QueryHint;

public interface FaceSampleRepository extends JpaRepository<FaceSample, UUID> {

    List<FaceSample> findByEmployeeOrderByCreatedAt(Employee employee);

    Optional<FaceSample> findByIdAndEmployee(UUID id, Employee employee);

    long countByEmployee(Employee employee);

    @Modifying
    @Query("delete from FaceSample f where f.employee = ?1")
    int deleteByEmployee(Employee employee);

    /** What the support set needs to know about a sample without loading its bytes. */
    record Reference(UUID faceId, String employeeId, String displayName, String modelVersion) {
    }

    @Query("select new io.faceroster.employee.FaceSampleRepository$Reference(f.id, e.employeeId, e.displayName, "
            + "f.modelVersion) from FaceSample f join f.employee e")
    List<Reference> references();

    /** A stored embedding without its crop: what a replica reads in bulk at start-up. */
    record StoredEmbedding(UUID faceId, String employeeId, String displayName, byte[] embedding) {
    }

    @Query("select new io.faceroster.employee.FaceSampleRepository$StoredEmbedding(f.id, e.employeeId, e.displayName, "
            + "f.embedding) from FaceSample f join f.employee e where f.modelVersion = ?1")
    @QueryHints(@QueryHint(name = "org.hibernate.fetchSize", value = "2000"))
    Stream<StoredEmbedding> streamEmbeddings(String modelVersion);

    @Query("select f from FaceSample f join fetch f.employee where f.id in ?1")
    List<FaceSample> findWithEmployee(Collection<UUID> ids);

    /** The content hash and storing import of each of an employee's samples (hash null before imports existed). */
    record Origin(UUID faceId, String contentHash, UUID importId) {
    }

    @Query("select new io.faceroster.employee.FaceSampleRepository$Origin(f.id, f.contentHash, f.importId) "
            + "from FaceSample f where f.employee = ?1")
    List<Origin> origins(Employee employee);

    @Query("select f from FaceSample f join fetch f.employee")
    Stream<FaceSample> streamAll();
}
