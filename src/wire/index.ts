// The wire mapping: pure functions between the SDK's camelCase objects and the JSS wire form
// (docs/protocol.md, and the legacy JSS wire contract it builds on). No I/O, no validation.
export { toCamelKey, toLegacyDottedKey, toSnakeKey } from './casing';
export { formatJssDate, parseJssDate } from '#protocol/dates';
// The mapping of a job from the wire lives with the rest of response decoding (src/decode).
export { decodeJob } from '../decode/map-job';
export { escapeKeySegment, splitDottedPath, unescapeKeySegment } from '#protocol/dotted-path';
export {
  encodeCreateBody,
  encodeFilterBody,
  encodePatchBody,
  type PatchWireOptions,
} from './encode';
export { expandServiceFields, isIndexKeyed, serviceFieldKeyOf } from './expand';
export {
  SERVICE_FIELDS_KEY,
  type KeyCasing,
  type ServiceFieldKeys,
  type WireOptions,
} from './options';
