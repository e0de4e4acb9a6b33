/**
 * How keys under `service_fields` (and inside log entries' `data`) travel.
 * - `'snake_case'` (the legacy default): converted like every other key, camelCase ↔ snake_case,
 *   at every depth. Lossy for keys such as `my_key` / `my key`, which both come back `myKey`.
 * - `'verbatim'`: sent and received exactly as given, both ways.
 */
export type ServiceFieldKeys = 'snake_case' | 'verbatim';

/** Options every wire mapping takes. */
export interface WireOptions {
  serviceFieldKeys: ServiceFieldKeys;
}

/** The wire name of the service fields, and the prefix of their dotted `$set` keys. */
export const SERVICE_FIELDS_KEY = 'service_fields';
