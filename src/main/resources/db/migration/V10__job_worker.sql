-- Which worker process last ran a job (kept after the job ends, unlike the lease), for operators
-- tracing a job to a process.
ALTER TABLE jobs ADD COLUMN last_worker text;
