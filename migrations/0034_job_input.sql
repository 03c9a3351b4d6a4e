-- Imports as background jobs (issue #12): the uploaded file (an .xlsx, a zipped shapefile, a
-- GeoJSON or CSV body) travels from the request to the runner in the job's own row — any server
-- process sharing the database may claim it — and is dropped once the job has ended.
ALTER TABLE jobs ADD COLUMN input bytea;
