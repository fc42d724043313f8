/**
 * Published configuration versions: every validated configuration the engine runs with, numbered, with its
 * content hash, author and time, and the objects themselves, so that a process sharing the database runs
 * without the workspace folder and history and diffs need no copy of old files. `counts` (objects per kind)
 * lets the history be listed without reading every version's objects. `json`, not `jsonb`: the objects
 * come back with their keys in the order they were written.
 */
export const sql = `
CREATE TABLE config_versions (
  number integer PRIMARY KEY,
  hash text NOT NULL,
  author text NOT NULL,
  created timestamptz NOT NULL,
  counts json NOT NULL,
  objects json NOT NULL
);
CREATE INDEX config_versions_hash ON config_versions (hash);
`
