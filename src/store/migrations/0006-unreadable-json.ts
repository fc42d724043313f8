/**
 * Values that earlier versions stored but PostgreSQL's JSON functions cannot read: a NUL (`\u0000`) or a
 * lone UTF-16 surrogate (`\ud800`) in a `json` column is accepted when written, and every later query
 * that extracts text from that document fails ("unsupported Unicode escape sequence"), for good. Such
 * escapes become U+FFFD. Aggregation now refuses these values, so this repairs stores from before.
 *
 * In JSON text every backslash starts an escape, so escaped backslashes are set aside first (as U+0001,
 * which valid JSON text never holds raw) and a `\u0000` that remains is a real escape, not the text
 * `\\u0000`. A repaired account's hash is cleared so the next aggregation rewrites it from the source,
 * and a repaired identity is queued for processing.
 */
export const sql = `
CREATE FUNCTION provisio_readable_json(doc text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT replace(
    regexp_replace(
      regexp_replace(
        replace(replace(doc, '\\\\', chr(1)), '\\u0000', '\\ufffd'),
        '\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F][0-9a-fA-F]{2})', '\\ufffd', 'g'),
      '(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}', '\\ufffd', 'g'),
    chr(1), '\\\\')
$fn$;

UPDATE accounts SET attributes = provisio_readable_json(attributes::text)::json, hash = ''
  WHERE attributes::text ~ '\\\\u(0000|[dD][89a-fA-F])'
    AND provisio_readable_json(attributes::text) <> attributes::text;

INSERT INTO process_queue (identity_id)
  SELECT id FROM identities
  WHERE attributes::text ~ '\\\\u(0000|[dD][89a-fA-F])'
    AND provisio_readable_json(attributes::text) <> attributes::text
  ON CONFLICT DO NOTHING;
UPDATE identities SET attributes = provisio_readable_json(attributes::text)::json, inputs_hash = NULL
  WHERE attributes::text ~ '\\\\u(0000|[dD][89a-fA-F])'
    AND provisio_readable_json(attributes::text) <> attributes::text;

UPDATE account_requests SET items = provisio_readable_json(items::text)::json
  WHERE items::text ~ '\\\\u(0000|[dD][89a-fA-F])'
    AND provisio_readable_json(items::text) <> items::text;
UPDATE work_items SET remediation_items = provisio_readable_json(remediation_items::text)::json
  WHERE remediation_items::text ~ '\\\\u(0000|[dD][89a-fA-F])'
    AND provisio_readable_json(remediation_items::text) <> remediation_items::text;

DROP FUNCTION provisio_readable_json(text);
`
