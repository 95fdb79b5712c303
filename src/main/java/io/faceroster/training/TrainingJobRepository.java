package io.faceroster.training;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

    List<TrainingJob> findByStatusIn(Collection<TrainingJob.Status> statuses);

    List<TrainingJob> findByStatusOrderByCreatedAt(TrainingJob.Status status);

    Page<TrainingJob> findAllByOrderByCreatedAtDesc(Pageable pageable);
}
