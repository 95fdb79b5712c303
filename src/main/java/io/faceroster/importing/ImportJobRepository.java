package io.faceroster.importing;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface ImportJobRepository extends JpaRepository<ImportJob, UUID> {

    List<ImportJob> findByStatusInOrderByCreatedAt(Collection<ImportJob.Status> statuses);

    Page<ImportJob> findAllByOrderByCreatedAtDesc(Pageable pageable);
}
