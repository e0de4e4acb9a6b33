/**
 * How keys under `service_fields` (and inside log entries' `data`) travel.
 * - `'snake_case'` (the legacy default): converted like every other key, camelCase ↔ snake_case,
 *   at every depth. Lossy for keys such as `my_key` / `my key`, which both come back `myKey`.
 * - `'verbatim'`: sent and received exactly as given, both ways.
 */
export type ServiceFieldKeys = 'snake_case' | 'verbatim';

/**
 * How the dotted `$set` keys of patches and filters are snake_cased (with
 * `serviceFieldKeys: 'snake_case'`; verbatim keys are never converted).
 * - `'per-segment'` (the default): each key is converted on its own, then joined, so a path
 *   names the same stored keys as a create body: `{Plate: {WellID: 1}}` →
 *   `service_fields.plate.well_i_d`.
 * - `'legacy'`: the legacy client's bytes, the whole dotted key converted at once (see
 *   `toLegacyDottedKey`), so a capital that starts a key gains an `_`:
 *   `service_fields._plate._well_i_d`.
 */
export type KeyCasing = 'per-segment' | 'legacy';

/** Options every wire mapping takes. */
export interface WireOptions {
  serviceFieldKeys: ServiceFieldKeys;
  /** Absent: `'per-segment'`. */
  keyCasing?: KeyCasing;
}

/** The wire name of the service fields, and the prefix of their dotted `$set` keys. */
export const SERVICE_FIELDS_KEY = 'service_fields';
