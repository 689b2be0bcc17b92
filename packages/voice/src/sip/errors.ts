// The one error the SIP parser throws: a typed reason, so the transport can decide whether to answer 400.

export type SipParseReason =
  | 'too-large'
  | 'too-many-headers'
  | 'line-too-long'
  | 'bad-encoding'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-header'
  | 'missing-header'
  | 'bad-uri'
  | 'unsupported-uri-scheme'
  | 'bad-name-addr'
  | 'bad-param'
  | 'bad-via'
  | 'bad-cseq'
  | 'bad-content-length'
  | 'body-length-mismatch';

/** What a request looked like before parsing failed, when its start line and header lines were readable. */
export interface PartialSipRequest {
  method: string;
  /** Raw header lines (canonical names), unvalidated: enough to copy Via/From/To/Call-ID/CSeq into a 400. */
  headers: { name: string; value: string }[];
}

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  constructor(
    readonly reason: SipParseReason,
    message: string,
    /** Set when the failure is in a request whose start line and header lines could still be split. */
    readonly partial?: PartialSipRequest,
  ) {
    super(message);
  }
}
