-- The queue by workspace, for claims that take jobs round robin across workspaces: it finds each
-- workspace with queued jobs by skipping from one workspace to the next (one probe each, however
-- many jobs wait), and a workspace's oldest due jobs by a range scan.
CREATE INDEX jobs_queue_workspace_idx ON jobs (workspace_id, run_after, id) WHERE status = 'queued';
