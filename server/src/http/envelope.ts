/** The success envelope of every answer but `health` (docs/protocol.md, "Envelope"). */
export interface SuccessEnvelope {
  response_type: 'SUCCESS';
  data: unknown[];
  total_count: number;
  offset: number;
  [extra: string]: unknown;
}

/** An envelope around `data`; query and changes add their paging fields. */
export function envelope(data: unknown[], extra: Partial<SuccessEnvelope> = {}): SuccessEnvelope {
  return { response_type: 'SUCCESS', data, total_count: data.length, offset: 0, ...extra };
}
