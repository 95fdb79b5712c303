-- Where each enrolled face was found in its upload (JSON of io.faceroster.imaging.FaceBox); null when the
-- caller skipped detection (detect=false) and for faces enrolled before detection existed.
ALTER TABLE face_sample ADD COLUMN face_box VARCHAR(1000);
